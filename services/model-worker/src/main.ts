#!/usr/bin/env node
import { runService } from "@weir/service-kit";
import { startWorker } from "./worker-service.js";

await runService({ name: "model-worker", start: startWorker });
