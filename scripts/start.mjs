#!/usr/bin/env node
// `npm start`: installs what is missing, builds, then runs `weir start`
// (NATS if none is reachable, every service, the tiers of weir.yaml).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { bootstrap, root } from "./bootstrap.mjs";

bootstrap();
const child = spawn(process.execPath, [join(root, "packages", "cli", "dist", "main.js"), "start", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
// The CLI handles Ctrl-C itself (the terminal sends SIGINT to the whole group);
// forward SIGTERM from a supervisor.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
