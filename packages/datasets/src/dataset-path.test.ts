import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { datasetPath, datasetsDir } from "./dataset-path.js";

const REPO_DATASETS = fileURLToPath(new URL("../../../datasets", import.meta.url));

describe("datasetPath", () => {
  it("resolves vendored files under the repository's datasets/ folder", () => {
    expect(datasetsDir({})).toBe(resolve(REPO_DATASETS));
    const gsm8k = datasetPath("routellm/gsm8k_responses.csv", {});
    expect(gsm8k).toBe(join(REPO_DATASETS, "routellm", "gsm8k_responses.csv"));
    expect(existsSync(gsm8k)).toBe(true);
    expect(existsSync(datasetPath("README.md", {}))).toBe(true);
  });

  it("follows WEIR_DATASETS_DIR when set, and ignores it when empty", () => {
    expect(datasetPath("traces/x.csv", { WEIR_DATASETS_DIR: "/data/weir" })).toBe(resolve("/data/weir/traces/x.csv"));
    expect(datasetsDir({ WEIR_DATASETS_DIR: "" })).toBe(resolve(REPO_DATASETS));
  });

  it("reads process.env by default", () => {
    const before = process.env["WEIR_DATASETS_DIR"];
    process.env["WEIR_DATASETS_DIR"] = "/elsewhere";
    try {
      expect(datasetsDir()).toBe(resolve("/elsewhere"));
    } finally {
      if (before === undefined) delete process.env["WEIR_DATASETS_DIR"];
      else process.env["WEIR_DATASETS_DIR"] = before;
    }
  });
});
