#!/usr/bin/env node
// Makes a fresh checkout runnable with nothing but Node.js and npm:
//   1. finds pnpm (the version in package.json "packageManager"), or installs
//      it from the npm registry into ./.tools (never globally);
//   2. installs the workspace (frozen lockfile) when node_modules is missing
//      or older than the lockfile;
//   3. builds every package with turbo (cached, so a no-op when unchanged).
// Plain Node, no dependencies: it runs before anything is installed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wanted = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];
const toolsDir = join(root, ".tools");
const localPnpm = join(toolsDir, "node_modules", ".bin", "pnpm");

function log(msg) {
  process.stderr.write(`[weir] ${msg}\n`);
}

function pnpmVersion(cmd) {
  try {
    return execFileSync(cmd, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** The pnpm executable to use, installing the pinned version when missing. */
export function ensurePnpm() {
  const major = wanted.split(".")[0];
  const onPath = pnpmVersion("pnpm");
  if (onPath && onPath.split(".")[0] === major) return "pnpm";
  if (!(existsSync(localPnpm) && pnpmVersion(localPnpm) === wanted)) {
    log(`installing pnpm ${wanted} into .tools (pnpm ${onPath ?? "not found"} on PATH)`);
    run("npm", ["install", "--prefix", toolsDir, "--no-save", "--no-package-lock", "--loglevel=error", `pnpm@${wanted}`]);
  }
  // Tools started below (turbo, package scripts) look pnpm up on PATH.
  process.env.PATH = `${dirname(localPnpm)}${delimiter}${process.env.PATH ?? ""}`;
  return localPnpm;
}

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    log(`command failed (${res.status}): ${cmd} ${args.join(" ")}`);
    process.exit(res.status ?? 1);
  }
}

function installNeeded() {
  const marker = join(root, "node_modules", ".modules.yaml");
  if (!existsSync(marker)) return true;
  return statSync(join(root, "pnpm-lock.yaml")).mtimeMs > statSync(marker).mtimeMs;
}

/** Installs and builds; returns the pnpm executable. */
export function bootstrap({ build = true } = {}) {
  const pnpm = ensurePnpm();
  process.env.TURBO_TELEMETRY_DISABLED = "1";
  process.env.DO_NOT_TRACK = "1";
  if (installNeeded()) {
    log("installing dependencies (pnpm install --frozen-lockfile)");
    run(pnpm, ["install", "--frozen-lockfile", "--reporter=append-only"]);
  }
  if (build) {
    log("building (turbo run build)");
    run(pnpm, ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
  }
  return pnpm;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bootstrap();
