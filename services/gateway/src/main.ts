#!/usr/bin/env node
import { runService } from "@weir/service-kit";
import { startGateway } from "./gateway-service.js";

await runService({ name: "gateway", start: startGateway });
