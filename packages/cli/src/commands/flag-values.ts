// Turning command-line flag text into checked values, with one sentence per
// mistake that names the flag, shared by the `weir` benchmark commands.

/** Prints `weir <command>: <message>` on stderr and exits with `code` (2: bad flags, 1: the run failed). */
export function failCommand(command: string, err: unknown, code: number): never {
  process.stderr.write(`weir ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(code);
}

/** A whole number ≥ min. */
export function wholeNumber(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number ≥ ${min} (got "${text}")`);
  return n;
}

/** A finite number > 0. */
export function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${flag} must be a number > 0 (got "${text}")`);
  return n;
}

/** A comma-separated list, blanks dropped. */
export function commaList(text: string): string[] {
  return text
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
}
