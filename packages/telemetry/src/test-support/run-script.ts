import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** file:// URL of the built package entry, for scripts run in a child process. */
export const distEntry = new URL("../../dist/index.js", import.meta.url).href;

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an ES module in a fresh `node` process. startTelemetry sets
 * process-global state (tracer provider, propagator), so each case gets a
 * clean process rather than sharing the test runner's.
 *
 * The environment is the parent's minus every OTEL_* variable, plus `env`.
 * The child is killed after `timeoutMs` or when `signal` aborts.
 */
export async function runScript(
  source: string,
  opts: { env?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ScriptResult> {
  const dir = await mkdtemp(join(tmpdir(), "weir-telemetry-"));
  const file = join(dir, "script.mjs");
  await writeFile(file, source);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OTEL_")) env[k] = v;
  Object.assign(env, opts.env);
  try {
    return await new Promise<ScriptResult>((resolve, reject) => {
      const child = spawn(process.execPath, [file], { env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      const kill = (): void => {
        child.kill("SIGKILL");
      };
      const timer = setTimeout(kill, opts.timeoutMs ?? 10_000);
      opts.signal?.addEventListener("abort", kill);
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
