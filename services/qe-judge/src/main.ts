#!/usr/bin/env node
import { runService } from "@weir/service-kit";
import { startJudge } from "./judge-service.js";

await runService({ name: "qe-judge", start: startJudge });
