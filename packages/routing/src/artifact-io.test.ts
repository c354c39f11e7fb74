import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ARTIFACT_FILE } from "./artifact.js";
import { ArtifactError } from "./artifact-error.js";
import { loadArtifact, parseArtifact, saveArtifact } from "./artifact-io.js";
import { tinyArtifact } from "./test-support/tiny-artifact.js";

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), "weir-artifact-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("artifact save and load", () => {
  it("round-trips", () => {
    const dir = tmp();
    const a = tinyArtifact();
    const path = saveArtifact(dir, a);
    expect(path).toBe(join(dir, ARTIFACT_FILE));
    expect(loadArtifact(dir)).toEqual(a);
  });

  it("rejects an invalid artifact with a sentence naming the fields", () => {
    const bad = { ...tinyArtifact(), schemaVersion: 9, centroids: [[1, 2]] };
    const err = (() => {
      try {
        parseArtifact(JSON.stringify(bad), "x/routing.json");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ArtifactError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^x\/routing\.json is not a usable routing artifact: /);
    expect(msg).toContain("schemaVersion is 9, this Weir reads version 1");
    expect(msg).toContain("centroids[0] is not a list of 32 finite numbers");
    expect(msg).toContain("clusters does not have one entry per centroid (1)");
    expect(msg).toMatch(/retrain it with weir train$/);
  });

  it("rejects a QE whose weights do not fit its features, and non-JSON", () => {
    const a = tinyArtifact();
    const bad = { ...a, qe: { ...a.qe, model: { ...a.qe.model, weights: [1, 2] } } };
    expect(() => parseArtifact(JSON.stringify(bad), "f")).toThrow(/qe\.model\.weights has 2 entries but the feature spec makes \d+/);
    expect(() => parseArtifact("{", "f")).toThrow(/f is not valid JSON/);
  });

  it("says how to make one when the directory has none, and refuses to save an invalid one", () => {
    const dir = tmp();
    expect(() => loadArtifact(dir)).toThrow(/no routing artifact at .*routing\.json: train one with `weir train --out/);
    expect(() => saveArtifact(dir, { ...tinyArtifact(), clusters: [] })).toThrow(/refusing to save an invalid artifact/);
  });

  it("writes atomically (no temporary file left behind)", () => {
    const dir = tmp();
    saveArtifact(dir, tinyArtifact());
    writeFileSync(join(dir, "other.txt"), "x");
    expect(JSON.parse(readFileSync(join(dir, ARTIFACT_FILE), "utf8")).schema).toBe("weir-routing-artifact");
  });
});
