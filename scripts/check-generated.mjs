#!/usr/bin/env node
// Regenerates the protobuf code and fails when it differs from what is
// committed: generated code is reviewable and never stale.
import { spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";
import { root } from "./bootstrap.mjs";

const pkg = join(root, "packages", "proto");
// buf finds the protoc-gen-es plugin on PATH: put the workspace's binaries
// there, so this works outside `npm test` too.
const bin = join(root, "node_modules", ".bin");
const env = { ...process.env, PATH: `${join(pkg, "node_modules", ".bin")}${delimiter}${bin}${delimiter}${process.env.PATH ?? ""}` };
const gen = spawnSync(join(bin, "buf"), ["generate"], { cwd: pkg, stdio: "inherit", env });
if (gen.status !== 0) process.exit(gen.status ?? 1);
const diff = spawnSync("git", ["status", "--porcelain", "--", "src/gen"], { cwd: pkg, encoding: "utf8" });
if (diff.status !== 0) {
  console.error("git is needed to compare generated code");
  process.exit(1);
}
if (diff.stdout.trim() !== "") {
  console.error("generated protobuf code differs from the committed code; run `pnpm generate` and commit:\n" + diff.stdout);
  process.exit(1);
}
console.log("generated protobuf code matches proto/");
