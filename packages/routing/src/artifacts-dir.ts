import { dirname, isAbsolute, resolve } from "node:path";

/**
 * router.artifacts / judge.artifacts as an absolute path: a relative path is
 * relative to the weir.yaml it was written in (WEIR_CONFIG, else ./weir.yaml),
 * so the same file works from any working directory.
 */
export function resolveArtifactsDir(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isAbsolute(dir)) return dir;
  const config = resolve(env["WEIR_CONFIG"] || "weir.yaml");
  return resolve(dirname(config), dir);
}
