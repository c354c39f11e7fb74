#!/usr/bin/env node
import { runService } from "@weir/service-kit";
import { startRouter } from "./router-service.js";

await runService({ name: "router", start: startRouter });
