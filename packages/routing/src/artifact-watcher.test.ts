import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ARTIFACT_FILE, type RoutingArtifact } from "./artifact.js";
import { saveArtifact } from "./artifact-io.js";
import { watchArtifact } from "./artifact-watcher.js";
import { watchPolicy } from "./policy-watcher.js";
import { tinyArtifact } from "./test-support/tiny-artifact.js";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function until(pred: () => boolean, ms = 3000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (pred()) resolve();
      else if (Date.now() - start > ms) reject(new Error("timed out"));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe("watchArtifact (hot reload)", () => {
  it("reloads a changed artifact and keeps the old one when the new file is invalid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-watch-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    saveArtifact(dir, tinyArtifact());
    const reloaded: RoutingArtifact[] = [];
    const invalid: Error[] = [];
    const w = watchArtifact(dir, { onReload: (a) => reloaded.push(a), onInvalid: (e) => invalid.push(e), debounceMs: 30 });
    cleanup.push(() => w.close());
    expect(w.current().budget.beta).toBe(0.2);

    saveArtifact(dir, tinyArtifact({ createdAt: "2025-02-01T00:00:00.000Z", budget: { beta: 0.5, costUnit: "t", costUnitUsd: 1 } }));
    await until(() => reloaded.length === 1);
    expect(w.current().budget.beta).toBe(0.5);

    writeFileSync(join(dir, ARTIFACT_FILE), '{"schema":"weir-routing-artifact"}');
    await until(() => invalid.length >= 1);
    expect(invalid[0]?.message).toMatch(/is not a usable routing artifact/);
    expect(w.current().budget.beta).toBe(0.5);
    expect(reloaded.length).toBe(1);
  });

  it("refuses to start on a missing artifact", () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-watch-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(() => watchArtifact(dir, { onReload: () => undefined, onInvalid: () => undefined })).toThrow(/no routing artifact/);
  });
});

describe("watchPolicy", () => {
  it("rebuilds the policy on a change, and keeps the old policy when the new artifact is refused by it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-watch-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    saveArtifact(dir, tinyArtifact());
    const reloaded: number[] = [];
    const rejected: Error[] = [];
    // A policy that refuses budgets above 0.6, standing in for a router that rejects an artifact.
    const build = (a: RoutingArtifact): { beta: number } => {
      if (a.budget.beta > 0.6) throw new Error(`budget ${a.budget.beta} refused`);
      return { beta: a.budget.beta };
    };
    const w = watchPolicy(dir, build, { onReload: (_a, p) => reloaded.push(p.beta), onRejected: (e) => rejected.push(e), debounceMs: 30 });
    cleanup.push(() => w.close());
    expect(w.current().beta).toBe(0.2);

    saveArtifact(dir, tinyArtifact({ createdAt: "2025-02-01T00:00:00.000Z", budget: { beta: 0.5, costUnit: "t", costUnitUsd: 1 } }));
    await until(() => reloaded.length === 1);
    expect(w.current().beta).toBe(0.5);

    saveArtifact(dir, tinyArtifact({ createdAt: "2025-03-01T00:00:00.000Z", budget: { beta: 0.9, costUnit: "t", costUnitUsd: 1 } }));
    await until(() => rejected.length === 1);
    expect(rejected[0]?.message).toBe("budget 0.9 refused");
    expect(w.current().beta).toBe(0.5);
    expect(w.artifact().budget.beta).toBe(0.5);
  });

  it("refuses to start when the policy refuses the first artifact", () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-watch-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    saveArtifact(dir, tinyArtifact());
    expect(() =>
      watchPolicy(dir, () => {
        throw new Error("no");
      }, { onReload: () => undefined, onRejected: () => undefined }),
    ).toThrow("no");
  });
});
