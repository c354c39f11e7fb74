#!/usr/bin/env node
// `npm test`: installs and builds what is missing, checks the protobuf
// contracts (buf lint, breaking-change rules, generated code not drifted),
// runs every package's vitest suite through turbo, and ends with one plain
// line `N passed, N failed` summed from vitest's JSON reports, so a run that
// executed no test cannot pass unnoticed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bootstrap, root } from "./bootstrap.mjs";

const pnpm = bootstrap();
const checks = { passed: 0, failed: 0, names: [] };

function check(name, cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  const ok = res.status === 0;
  checks[ok ? "passed" : "failed"]++;
  checks.names.push(`${ok ? "✓" : "✗"} ${name}`);
  return ok;
}

// Contracts: lint, breaking changes against the previous commit, and drift of
// the committed generated code.
check("buf lint", pnpm, ["exec", "buf", "lint"]);
const hasParent = spawnSync("git", ["rev-parse", "--verify", "-q", "HEAD~1"], { cwd: root }).status === 0;
if (hasParent) check("buf breaking (against HEAD~1)", pnpm, ["exec", "buf", "breaking", "--against", ".git#ref=HEAD~1"]);
check("generated code is up to date", process.execPath, [join(root, "scripts", "check-generated.mjs")]);

// Reports from an earlier run must not count: remove them (turbo restores the
// reports of cached, unchanged tasks from its cache).
const groups = ["packages", "services", "tests"];
for (const group of groups) {
  for (const name of readdirSync(join(root, group))) rmSync(join(root, group, name, ".vitest-report.json"), { force: true });
}

// Unit and integration suites first, then the end-to-end suite alone (it runs
// the whole stack as processes and wants the machine's two cores to itself).
const turbo = ["exec", "turbo", "run", "test", "--output-logs=new-only", "--continue"];
const unit = spawnSync(pnpm, [...turbo, "--filter=!@weir/e2e", "--concurrency=2"], { cwd: root, stdio: "inherit" });
const e2e = spawnSync(pnpm, [...turbo, "--filter=@weir/e2e", "--concurrency=1"], { cwd: root, stdio: "inherit" });

let passed = 0, failed = 0, skipped = 0, suites = 0;
for (const group of groups) {
  for (const name of readdirSync(join(root, group))) {
    const report = join(root, group, name, ".vitest-report.json");
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, "utf8"));
    suites += r.numTotalTestSuites ?? 0;
    passed += r.numPassedTests ?? 0;
    // A suite that fails to load has no failed test: count it as one failure.
    const failedTests = r.numFailedTests ?? 0;
    failed += failedTests > 0 ? failedTests : (r.numFailedTestSuites ?? 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
}
console.log("");
for (const n of checks.names) console.log(n);
const turboFailed = (unit.status !== 0 || e2e.status !== 0) && failed === 0 ? 1 : 0;
if (turboFailed) console.log("a test task failed outside vitest's reports (build or runner error): see above");
const totalPassed = passed + checks.passed;
const totalFailed = failed + checks.failed + turboFailed;
console.log(`${totalPassed} passed, ${totalFailed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(totalFailed > 0 || passed === 0 ? 1 : 0);
