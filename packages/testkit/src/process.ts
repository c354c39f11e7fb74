import { killTree } from "./cleanup.js";
import { describeExit, spawnTracked, terminate, type ExitInfo } from "./spawn-tracked.js";

export interface StartProcessOptions {
  /** Prefixes the echoed output and names the process in errors. */
  name: string;
  command: string;
  args: string[];
  /** Added to (and overriding) the test process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** How long to wait for `WEIR_READY {json}` (default 20000 ms). */
  readyTimeoutMs?: number;
  /** Echo each output line as `[name] line` to stderr (default true). */
  echo?: boolean;
}

export interface ProcessHandle {
  name: string;
  /** The JSON the process announced with `WEIR_READY {json}` (ports, ids, ...). */
  info: Record<string, unknown>;
  pid: number;
  /** Everything it printed so far (stdout and stderr, unprefixed), for assertions. */
  output(): string;
  signal(sig: NodeJS.Signals): void;
  /** Its exit code once it exits; null when a signal ended it. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5000); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

const READY_PREFIX = "WEIR_READY ";

/**
 * Launches a service the way the start script does and resolves once it
 * announces readiness (`WEIR_READY {json}` on stdout, see @weir/runtime
 * announceReady). Rejects with everything it printed if it exits first, the
 * announcement is not JSON, or the timeout passes (the process is killed).
 * Every process is killed when the test process exits, stop() or not.
 */
export async function startProcess(opts: StartProcessOptions): Promise<ProcessHandle> {
  const echo = opts.echo ?? true;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  let announce: (line: string) => void = () => undefined;
  const sp = spawnTracked(opts.command, opts.args, {
    env: { ...process.env, ...opts.env },
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    onLine: (line, stream) => {
      if (echo) process.stderr.write(`[${opts.name}] ${line}\n`);
      if (stream === "stdout" && line.startsWith(READY_PREFIX)) announce(line.slice(READY_PREFIX.length));
    },
  });
  const output = (): string => sp.lines.join("\n");
  const failed = (why: string): Error =>
    new Error(`${opts.name} (${[opts.command, ...opts.args].join(" ")}) ${why}\n--- output ---\n${output()}`);

  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(failed(`did not print ${READY_PREFIX.trim()} within ${readyTimeoutMs} ms`));
      void terminate(sp, 1000);
    }, readyTimeoutMs);
    const settle = (fn: () => void): void => {
      clearTimeout(timer);
      announce = () => undefined;
      fn();
    };
    announce = (json) => {
      try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not a JSON object");
        settle(() => resolve(parsed as Record<string, unknown>));
      } catch (err) {
        settle(() => reject(failed(`announced readiness with invalid JSON (${(err as Error).message}): ${json}`)));
        void terminate(sp, 1000);
      }
    };
    void sp.exited.then((exit) => settle(() => reject(failed(`${describeExit(exit)} before it was ready`))));
  });

  const exited = sp.exited.then((e: ExitInfo) => e.code);
  return {
    name: opts.name,
    info,
    pid: sp.child.pid ?? -1,
    output,
    // To the whole process group, as a terminal would: a wrapper (pnpm, tsx) and the service both get it.
    signal: (sig) => killTree(sp.child, sig),
    exited,
    stop: async (graceMs = 5000) => (await terminate(sp, graceMs)).code,
  };
}
