import { readFileSync } from "node:fs";

// Where the CPU goes while a benchmark runs: user + system seconds of each
// process, read from /proc (Linux), so a figure can be pinned on the process
// that saturates a core. Elsewhere the readings are absent, not wrong.

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux port Node runs on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, or undefined when it cannot be read. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Snapshots CPU seconds of labelled processes; `since()` gives each one's share of a core since the snapshot. */
export function cpuMeter(pids: Readonly<Record<string, number>>) {
  let t0 = 0;
  let base: Record<string, number | undefined> = {};
  return {
    start(): void {
      t0 = performance.now();
      base = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    },
    /** Cores used by each process since start() (1 = one core fully busy). */
    since(): Record<string, number> {
      const wall = (performance.now() - t0) / 1000;
      const out: Record<string, number> = {};
      for (const [k, pid] of Object.entries(pids)) {
        const now = cpuSeconds(pid);
        const before = base[k];
        if (now !== undefined && before !== undefined && wall > 0) out[k] = (now - before) / wall;
      }
      return out;
    },
  };
}
