import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACT_FILE, type RoutingArtifact } from "./artifact.js";
import { ArtifactError } from "./artifact-error.js";
import { artifactProblems } from "./validate-artifact.js";

/** Parses and validates an artifact's JSON text; `source` names it in errors. */
export function parseArtifact(text: string, source: string): RoutingArtifact {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ArtifactError(`${source} is not valid JSON (${err instanceof Error ? err.message : String(err)}): write it again with weir train`);
  }
  const problems = artifactProblems(json);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join("; ");
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
    throw new ArtifactError(`${source} is not a usable routing artifact: ${shown}${more}; retrain it with weir train`);
  }
  return json as RoutingArtifact;
}

/** Reads `<dir>/routing.json`. Throws an ArtifactError with a sentence when it is missing or invalid. */
export function loadArtifact(dir: string): RoutingArtifact {
  const path = join(dir, ARTIFACT_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArtifactError(
      code === "ENOENT"
        ? `no routing artifact at ${path}: train one with \`weir train --out ${dir}\` or point router.artifacts / judge.artifacts at a directory holding ${ARTIFACT_FILE}`
        : `cannot read ${path} (${code ?? String(err)})`,
      { cause: err },
    );
  }
  return parseArtifact(text, path);
}

/**
 * Writes `<dir>/routing.json` atomically (temporary file, then rename), so a
 * watching router never reads half a file.
 */
export function saveArtifact(dir: string, artifact: RoutingArtifact): string {
  const problems = artifactProblems(artifact);
  if (problems.length > 0) throw new ArtifactError(`refusing to save an invalid artifact: ${problems.slice(0, 5).join("; ")}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, ARTIFACT_FILE);
  const tmp = join(dir, `.${ARTIFACT_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(artifact, null, 1)}\n`);
  renameSync(tmp, path);
  return path;
}
