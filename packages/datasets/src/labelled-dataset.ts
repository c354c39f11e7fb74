// Prompts with a per-model correctness label, and optionally each model's
// answer text: the RouteLLM evaluation format (lm-sys/RouteLLM, routellm/evals).
//
// CSV columns: `prompt`; one True/False column per model (was that model's
// answer correct); optionally `<model>_response` with that model's answer
// text. Fields may be quoted and span lines (answers do).

import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { parse } from "csv-parse/sync";
import { normalizePrompt } from "./normalize-prompt.js";
import { stableHash } from "./stable-hash.js";

export interface LabelledRow {
  /**
   * Stable id: a hash of the whitespace-normalised prompt (see normalizePrompt).
   * Rows with the same question share it (MMLU repeats 68 questions, some
   * across subjects), so a split never puts one copy in train and another in test.
   */
  id: string;
  prompt: string;
  /** Per model: was its recorded answer correct. */
  correct: Record<string, boolean>;
  /** Per model: its recorded answer text, undefined when the file has none (MMLU). */
  response: Record<string, string | undefined>;
  /** Where the row comes from, e.g. the MMLU subject ("anatomy") or "gsm8k". */
  source?: string;
}

export interface LabelledDataset {
  name: string;
  /** The model columns, in file order. */
  models: string[];
  rows: LabelledRow[];
}

export interface LoadLabelledCsvOptions {
  /** The dataset's name. Default: the file name without its extension. */
  name?: string;
  /** Written into every row's `source`. */
  source?: string;
}

const RESPONSE_SUFFIX = "_response";

/** Reads a RouteLLM-format CSV file; see the format above. Throws an Error naming the file and row on bad input. */
export function loadLabelledCsv(path: string, opts: LoadLabelledCsvOptions = {}): LabelledDataset {
  const name = opts.name ?? basename(path, extname(path));
  return parseLabelledCsv(readFileSync(path, "utf8"), { ...opts, name, file: path });
}

/** parseLabelledCsv's options: `file` names the input in error messages. */
export interface ParseLabelledCsvOptions extends LoadLabelledCsvOptions {
  file?: string;
}

/** loadLabelledCsv on text already read. */
export function parseLabelledCsv(text: string, opts: ParseLabelledCsvOptions = {}): LabelledDataset {
  const file = opts.file ?? opts.name ?? "CSV input";
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true });
  } catch (err) {
    throw new Error(`${file} is not valid CSV: ${(err as Error).message}`, { cause: err });
  }
  const header = records[0];
  if (header === undefined) throw new Error(`${file} is empty: expected a header with a "prompt" column`);
  const promptCol = header.indexOf("prompt");
  if (promptCol < 0) throw new Error(`${file} has no "prompt" column (columns: ${header.join(", ")})`);

  const modelCols: [string, number][] = [];
  const responseCols = new Map<string, number>();
  header.forEach((column, i) => {
    if (i === promptCol) return;
    if (column.endsWith(RESPONSE_SUFFIX)) responseCols.set(column.slice(0, -RESPONSE_SUFFIX.length), i);
    else modelCols.push([column, i]);
  });
  if (modelCols.length === 0) throw new Error(`${file} has no model (True/False) column next to "prompt"`);
  for (const model of responseCols.keys()) {
    if (!modelCols.some(([m]) => m === model)) {
      throw new Error(`${file} has a "${model}${RESPONSE_SUFFIX}" column but no "${model}" column with its labels`);
    }
  }

  const rows: LabelledRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r] as string[];
    const prompt = record[promptCol] ?? "";
    const correct: Record<string, boolean> = {};
    const response: Record<string, string | undefined> = {};
    for (const [model, col] of modelCols) {
      correct[model] = parseBool(record[col], () => `${file} row ${r}, column "${model}"`);
      const responseCol = responseCols.get(model);
      response[model] = responseCol === undefined ? undefined : record[responseCol];
    }
    rows.push({
      id: stableHash(normalizePrompt(prompt)),
      prompt,
      correct,
      response,
      ...(opts.source === undefined ? {} : { source: opts.source }),
    });
  }
  return { name: opts.name ?? "dataset", models: modelCols.map(([m]) => m), rows };
}

function parseBool(value: string | undefined, where: () => string): boolean {
  const v = value?.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new Error(`${where()} must be True or False, got ${JSON.stringify(value ?? "")}`);
}
