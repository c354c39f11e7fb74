import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ServiceProcessOptions {
  /** Label for log lines, e.g. "gateway" or "worker:small-1". */
  label: string;
  /** Absolute path to the service's dist/main.js. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --cpu-prof), from WEIR_NODE_ARGS when unset. */
  nodeArgs?: string[];
  /** Receives every output line of the child (already labelled by the caller). */
  onLine: (label: string, line: string, stream: "stdout" | "stderr") => void;
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  label: string;
  child: ChildProcess;
  /** The JSON the service printed on its WEIR_READY line (ports, ids). */
  info: Record<string, unknown>;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after graceMs. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

const READY = "WEIR_READY ";

/** Starts one service process and resolves once it prints its WEIR_READY line. */
export function startServiceProcess(opts: ServiceProcessOptions): Promise<ServiceProcess> {
  const nodeArgs = opts.nodeArgs ?? (opts.env.WEIR_NODE_ARGS ? opts.env.WEIR_NODE_ARGS.split(" ").filter(Boolean) : []);
  const child = spawn(process.execPath, [...nodeArgs, opts.entry], { env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill("SIGKILL");
      reject(new Error(`${opts.label} did not become ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${tail.join("\n")}`));
    }, opts.readyTimeoutMs ?? 30_000);
    const handle: ServiceProcess = {
      label: opts.label,
      child,
      info: {},
      exited,
      async stop(graceMs = 10_000) {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        const code = await exited;
        clearTimeout(killer);
        return code;
      },
    };
    for (const stream of ["stdout", "stderr"] as const) {
      createInterface({ input: child[stream]! }).on("line", (line) => {
        if (!ready && stream === "stdout" && line.startsWith(READY)) {
          ready = true;
          clearTimeout(timer);
          try {
            handle.info = JSON.parse(line.slice(READY.length)) as Record<string, unknown>;
          } catch {
            handle.info = {};
          }
          resolve(handle);
          return;
        }
        tail.push(line);
        if (tail.length > 40) tail.shift();
        opts.onLine(opts.label, line, stream);
      });
    }
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${opts.label} exited with code ${code} before it was ready:\n${tail.join("\n")}`));
    });
  });
}
