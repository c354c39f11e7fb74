import { z } from "zod";
import { type FieldDoc, fieldDocs } from "./field-doc.js";
import type { FieldPath } from "./field-path.js";

/**
 * The schema with its wrappers peeled off, outermost first: a field
 * declared `documented(z.number(), …).default(20)` yields [default, number].
 */
function layers(schema: z.ZodType): z.ZodType[] {
  const out = [schema];
  let node: z.ZodType = schema;
  while (
    node instanceof z.ZodDefault ||
    node instanceof z.ZodPrefault ||
    node instanceof z.ZodOptional ||
    node instanceof z.ZodExactOptional
  ) {
    node = node.unwrap() as z.ZodType;
    out.push(node);
  }
  return out;
}

/** The schema itself, without default/optional wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  const all = layers(schema);
  return all[all.length - 1] ?? schema;
}

/** The schema that validates the value at `path`, or undefined if none does. */
export function schemaAt(root: z.ZodType, path: FieldPath): z.ZodType | undefined {
  let node: z.ZodType | undefined = root;
  for (const part of path) {
    if (node === undefined) return undefined;
    const inner = unwrap(node);
    if (inner instanceof z.ZodObject && typeof part === "string") {
      node = (inner.shape as Record<string, z.ZodType>)[part];
    } else if (inner instanceof z.ZodArray && typeof part === "number") {
      node = inner.element as z.ZodType;
    } else {
      return undefined;
    }
  }
  return node;
}

/** The FieldDoc attached to the field at `path`, on any of its layers. */
export function fieldDocAt(root: z.ZodType, path: FieldPath): FieldDoc | undefined {
  const schema = schemaAt(root, path);
  if (schema === undefined) return undefined;
  for (const layer of layers(schema)) {
    const doc = fieldDocs.get(layer);
    if (doc !== undefined) return doc;
  }
  return undefined;
}

/** The field names of the object at `path` (for did-you-mean), or [] if it is not an object. */
export function fieldsAt(root: z.ZodType, path: FieldPath): string[] {
  const schema = schemaAt(root, path);
  const inner = schema === undefined ? undefined : unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}
