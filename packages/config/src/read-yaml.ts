import { parseDocument } from "yaml";
import { ConfigError } from "./config-error.js";

/** What to do about each kind of YAML syntax error, as a clause. */
function hint(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return "remove or rename one of the repeated keys";
    case "TAB_AS_INDENT":
      return "indent with spaces, not tabs";
    case "BAD_INDENT":
    case "MISSING_CHAR":
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return "check the indentation, dashes, quotes and brackets on that line and the one before";
    default:
      return "fix the YAML there";
  }
}

/**
 * Parses weir.yaml into plain data, or throws a ConfigError with one
 * sentence per syntax error naming its line and column. An empty file is
 * an empty mapping (the schema then says what is missing).
 */
export function readYaml(text: string, source: string): Record<string, unknown> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        const where = pos === undefined ? "" : ` line ${pos.line}, column ${pos.col}:`;
        // yaml appends " at line N, column M:" and a code excerpt; we say where ourselves.
        const what = (error.message.split(/ at line \d+, column \d+:/)[0] ?? error.message).trim();
        return `${source}:${where} YAML syntax error: ${what}; ${hint(error.code)}.`;
      }),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError([
      `${source} must be a mapping of sections (tiers, slo, gateway, ...), not ${Array.isArray(data) ? "a list" : "a single value"}; start it with "tiers:".`,
    ]);
  }
  return data as Record<string, unknown>;
}
