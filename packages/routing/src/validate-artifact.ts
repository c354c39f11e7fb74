import { ARTIFACT_SCHEMA, ARTIFACT_SCHEMA_VERSION, type RoutingArtifact } from "./artifact.js";
import { qeFeatureCount } from "./qe-features.js";

type Json = unknown;

/**
 * Checks that parsed JSON is a usable artifact: shapes, ranges, and the
 * cross-references (centroid sizes vs the embedder, cluster count, feature
 * count vs weights, thresholds for known tiers). Returns the problems, one
 * sentence each, naming the field; none means the artifact is usable.
 */
export function artifactProblems(a: Json): string[] {
  const out: string[] = [];
  const bad = (path: string, what: string): void => {
    out.push(`${path} ${what}`);
  };
  if (!isObj(a)) return ["the file is not a JSON object"];
  if (a.schema !== ARTIFACT_SCHEMA) bad("schema", `is ${JSON.stringify(a.schema)}, expected "${ARTIFACT_SCHEMA}"`);
  if (a.schemaVersion !== ARTIFACT_SCHEMA_VERSION) {
    bad("schemaVersion", `is ${JSON.stringify(a.schemaVersion)}, this Weir reads version ${ARTIFACT_SCHEMA_VERSION}: retrain with this version's weir train`);
  }
  if (typeof a.createdAt !== "string" || Number.isNaN(Date.parse(a.createdAt))) bad("createdAt", "is not an ISO date");
  if (typeof a.dataHash !== "string" || a.dataHash === "") bad("dataHash", "is missing");
  if (!isObj(a.settings)) bad("settings", "is not an object");
  if (!isObj(a.metrics)) bad("metrics", "is not an object");

  const tierNames: string[] = [];
  if (!Array.isArray(a.tiers) || a.tiers.length === 0) bad("tiers", "is not a non-empty list");
  else
    a.tiers.forEach((t: Json, i) => {
      const p = `tiers[${i}]`;
      if (!isObj(t)) return bad(p, "is not an object");
      if (typeof t.name !== "string" || !/^[a-z0-9-]+$/.test(t.name)) bad(`${p}.name`, "is not a tier name");
      else if (tierNames.includes(t.name)) bad(`${p}.name`, `"${t.name}" appears twice`);
      else tierNames.push(t.name);
      if (typeof t.model !== "string") bad(`${p}.model`, "is not a string");
      if (!isObj(t.pricing) || !nonNeg(t.pricing.inputPerMTok) || !nonNeg(t.pricing.outputPerMTok)) bad(`${p}.pricing`, "needs inputPerMTok and outputPerMTok ≥ 0");
      if (!nonNeg(t.meanCostUsd)) bad(`${p}.meanCostUsd`, "is not a number ≥ 0");
    });

  let dims = 0;
  const e = a.embedder;
  if (!isObj(e)) bad("embedder", "is not an object");
  else if (e.kind === "hashed-tfidf") {
    dims = typeof e.dims === "number" ? e.dims : 0;
    if (typeof e.idf !== "string") bad("embedder.idf", "is not a base64 string");
    for (const f of ["dims", "bucketBits", "seed", "nonZeros", "wordNgrams"]) if (!Number.isInteger(e[f])) bad(`embedder.${f}`, "is not a whole number");
  } else if (e.kind === "openai") {
    dims = typeof e.dims === "number" ? e.dims : 0;
    if (typeof e.baseUrl !== "string" || typeof e.model !== "string") bad("embedder", "of kind openai needs baseUrl and model");
    if (!(dims > 0)) bad("embedder.dims", "is not a number > 0");
  } else bad("embedder.kind", `is ${JSON.stringify(e.kind)}, expected "hashed-tfidf" or "openai"`);

  let k = 0;
  if (!Array.isArray(a.centroids) || a.centroids.length === 0) bad("centroids", "is not a non-empty list");
  else {
    k = a.centroids.length;
    a.centroids.forEach((c: Json, i) => {
      if (!Array.isArray(c) || c.length !== dims || !c.every((x) => typeof x === "number" && Number.isFinite(x))) {
        bad(`centroids[${i}]`, `is not a list of ${dims} finite numbers (the embedder's dimensions)`);
      }
    });
  }
  if (!Array.isArray(a.clusters) || a.clusters.length !== k) bad("clusters", `does not have one entry per centroid (${k})`);
  else
    a.clusters.forEach((c: Json, i) => {
      const p = `clusters[${i}]`;
      if (!isObj(c)) return bad(p, "is not an object");
      if (c.id !== i) bad(`${p}.id`, `is ${JSON.stringify(c.id)}, expected ${i}`);
      if (typeof c.label !== "string") bad(`${p}.label`, "is not a string");
      if (typeof c.answerText !== "boolean") bad(`${p}.answerText`, "is not true or false");
      if (!Array.isArray(c.tiers) || c.tiers.length !== tierNames.length) bad(`${p}.tiers`, "does not list every tier");
      else
        c.tiers.forEach((s: Json, j) => {
          if (!isObj(s) || s.tier !== tierNames[j] || !prob(s.accuracy) || !prob(s.lo) || !prob(s.hi)) {
            bad(`${p}.tiers[${j}]`, `needs tier "${tierNames[j]}" and accuracy, lo, hi between 0 and 1`);
          }
        });
      if (!Array.isArray(c.starts) || c.starts.length === 0) bad(`${p}.starts`, "is not a non-empty list");
      else
        c.starts.forEach((s: Json, j) => {
          if (!isObj(s) || typeof s.tier !== "string" || !tierNames.includes(s.tier) || !prob(s.accuracy) || !nonNeg(s.cost)) {
            bad(`${p}.starts[${j}]`, "needs a known tier, accuracy between 0 and 1 and cost ≥ 0");
          }
        });
    });

  if (!isObj(a.budget) || !nonNeg(a.budget.beta)) bad("budget.beta", "is not a number ≥ 0");
  const qe = a.qe;
  if (!isObj(qe)) bad("qe", "is not an object");
  else {
    const spec = qe.features;
    let count = -1;
    if (!isObj(spec) || !Array.isArray(spec.tiers) || !Number.isInteger(spec.hashDims) || !Number.isInteger(spec.seed)) bad("qe.features", "needs tiers, hashDims and seed");
    else count = qeFeatureCount(spec as { tiers: string[]; hashDims: number; seed: number });
    const m = qe.model;
    if (!isObj(m) || !numList(m.weights) || !numList(m.mean) || !numList(m.scale) || typeof m.intercept !== "number") {
      bad("qe.model", "needs weights, mean, scale (lists of numbers) and intercept");
    } else if (count >= 0 && ((m.weights as number[]).length !== count || (m.mean as number[]).length !== count || (m.scale as number[]).length !== count)) {
      bad("qe.model.weights", `has ${(m.weights as number[]).length} entries but the feature spec makes ${count}`);
    } else if ((m.scale as number[]).some((s) => !(s > 0))) bad("qe.model.scale", "has an entry ≤ 0");
    const cal = qe.calibration;
    if (!isObj(cal) || cal.kind !== "isotonic" || !numList(cal.x) || !numList(cal.y) || (cal.x as number[]).length !== (cal.y as number[]).length || (cal.x as number[]).length === 0) {
      bad("qe.calibration", "needs kind isotonic and lists x and y of equal, non-zero length");
    } else if (!(cal.y as number[]).every((y, i, ys) => prob(y) && (i === 0 || y >= ys[i - 1]!))) bad("qe.calibration.y", "is not non-decreasing within 0..1");
    for (const key of ["thresholds", "thresholdsWithoutText"]) {
      const th = qe[key];
      if (th === undefined && key === "thresholdsWithoutText") continue;
      if (!isObj(th)) bad(`qe.${key}`, "is not an object");
      else
        for (const [t, v] of Object.entries(th)) {
          if (!tierNames.includes(t)) bad(`qe.${key}.${t}`, "names a tier the artifact does not have");
          if (!prob(v)) bad(`qe.${key}.${t}`, "is not a number between 0 and 1");
        }
    }
  }
  return out;
}

/** Narrows after artifactProblems returned none. */
export function isArtifact(a: Json): a is RoutingArtifact {
  return artifactProblems(a).length === 0;
}

function isObj(x: Json): x is Record<string, Json> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
function nonNeg(x: Json): boolean {
  return typeof x === "number" && Number.isFinite(x) && x >= 0;
}
function prob(x: Json): boolean {
  return typeof x === "number" && x >= 0 && x <= 1;
}
function numList(x: Json): boolean {
  return Array.isArray(x) && x.every((v) => typeof v === "number" && Number.isFinite(v));
}
