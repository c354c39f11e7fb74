// Where the vendored data lives: the repository's top-level datasets/ folder
// (see its README for what each file is and its licence), found from this
// package's own location, or WEIR_DATASETS_DIR where the files are elsewhere
// (a container image, a machine with a bigger copy).

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** packages/datasets/{src,dist}/ → the repository root's datasets/. */
const VENDORED = fileURLToPath(new URL("../../../datasets/", import.meta.url));

/** The folder of the vendored data: env WEIR_DATASETS_DIR when set (read on every call), else <repo>/datasets. */
export function datasetsDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env["WEIR_DATASETS_DIR"];
  return override !== undefined && override !== "" ? resolve(override) : resolve(VENDORED);
}

/**
 * The absolute path of a vendored file, e.g. datasetPath("routellm/gsm8k_responses.csv").
 * Does not check that the file exists (the loaders say so when it does not).
 */
export function datasetPath(relative: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(datasetsDir(env), relative);
}
