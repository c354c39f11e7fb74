/** A path into the config as zod reports it: keys and array indexes. */
export type FieldPath = readonly PropertyKey[];

/** `["tiers", 1, "pricing", "inputPerMTok"]` → `tiers[1].pricing.inputPerMTok`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The value at `path` in parsed YAML, or undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: FieldPath): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}
