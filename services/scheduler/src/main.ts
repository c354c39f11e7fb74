#!/usr/bin/env node
import { runService } from "@weir/service-kit";
import { startScheduler } from "./scheduler-service.js";

await runService({ name: "scheduler", start: startScheduler });
