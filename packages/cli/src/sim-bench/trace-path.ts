import { datasetPath } from "@weir/datasets";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * A trace file as given, or else a vendored trace by name
 * (`mooncake_conversation.jsonl` → datasets/traces/mooncake_conversation.jsonl),
 * so the benchmark runs from any directory. Throws a sentence when neither exists.
 */
export function resolveTracePath(given: string): string {
  if (existsSync(given)) return resolve(given);
  const vendored = datasetPath(`traces/${given}`);
  if (existsSync(vendored)) return vendored;
  throw new Error(
    `no trace at ${resolve(given)} (nor ${vendored}): give a Mooncake JSONL or Azure CSV file, ` +
      "or a vendored one: mooncake_conversation.jsonl, azure_llm_2023_conv.csv",
  );
}
