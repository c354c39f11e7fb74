/** ANSI colours per label, so interleaved logs stay readable. */
const COLOURS = [36, 35, 33, 32, 34, 91, 92, 93, 94, 95, 96];
const assigned = new Map<string, number>();

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/**
 * One readable, prefixed line for a service's output line: pino JSON becomes
 * `label | level message key=value`; anything else is passed through.
 */
export function formatLine(label: string, line: string, colour: boolean): string {
  if (!assigned.has(label)) assigned.set(label, COLOURS[assigned.size % COLOURS.length] ?? 36);
  const prefix = colour ? `\x1b[${assigned.get(label)}m${label.padEnd(18)}\x1b[0m|` : `${label.padEnd(18)}|`;
  if (!line.startsWith("{")) return `${prefix} ${line}`;
  try {
    const { level, msg, time, pid, hostname, service, ...rest } = JSON.parse(line) as Record<string, unknown>;
    void time, void pid, void hostname, void service;
    const extras = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    return `${prefix} ${LEVELS[Number(level)] ?? level} ${String(msg ?? "")}${extras ? ` ${extras}` : ""}`;
  } catch {
    return `${prefix} ${line}`;
  }
}
