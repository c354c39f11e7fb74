#!/usr/bin/env node
import { runService } from "@weir/service-kit";
import { startKvCacheManager } from "./kv-cache-manager-service.js";

await runService({ name: "kv-cache-manager", start: startKvCacheManager });
