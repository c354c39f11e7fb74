// Arrival traces in either public format, told apart by their content.

import { readFileSync } from "node:fs";
import { parseAzureTrace } from "./azure-trace.js";
import { parseMooncakeTrace } from "./mooncake-trace.js";
import type { TraceRequest } from "./trace-request.js";

/**
 * Reads a trace file, Mooncake JSON lines or Azure CSV (detected from the
 * content), as requests sorted by arrival, arrivals in ms after the first.
 */
export function loadTrace(path: string): TraceRequest[] {
  return parseTrace(readFileSync(path, "utf8"), path);
}

/** loadTrace on text already read; `source` names it in error messages. */
export function parseTrace(text: string, source = "trace"): TraceRequest[] {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) return parseMooncakeTrace(text, source);
  const header = (start.split("\n", 1)[0] ?? "").trim().toLowerCase();
  if (header.startsWith("timestamp,") && header.includes("contexttokens") && header.includes("generatedtokens")) {
    return parseAzureTrace(text, source);
  }
  throw new Error(
    `${source} is neither a Mooncake trace (JSON lines {"timestamp", "input_length", "output_length", "hash_ids"}) ` +
      "nor an Azure trace (CSV TIMESTAMP,ContextTokens,GeneratedTokens)",
  );
}
