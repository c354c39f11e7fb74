import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startProcess } from "./process.js";
import { waitFor } from "./wait-for.js";

/** Runs a tiny inline Node program as the child. */
const node = (name: string, source: string, extra: { env?: Record<string, string>; cwd?: string; readyTimeoutMs?: number } = {}) =>
  startProcess({ name, command: process.execPath, args: ["-e", source], echo: false, ...extra });

/** Whether `pid` runs; a zombie (killed, not yet reaped by a container's init) counts as dead. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

describe("startProcess", () => {
  it("resolves with the WEIR_READY json and keeps the output", async () => {
    const proc = await node(
      "svc",
      // Like a real service: handlers first, then the announcement.
      `process.on("SIGTERM", () => { console.log("bye"); process.exit(0); });
       console.log("starting up"); console.error("a warning");
       console.log("WEIR_READY " + JSON.stringify({ service: "svc", port: 1234, foo: process.env.FOO, cwd: process.cwd() }));
       setInterval(() => {}, 1000);`,
      { env: { FOO: "bar" }, cwd: tmpdir() },
    );
    expect(proc.info).toEqual({ service: "svc", port: 1234, foo: "bar", cwd: tmpdir() });
    expect(proc.pid).toBeGreaterThan(0);
    expect(proc.output()).toContain("starting up");
    // stderr is a separate pipe: it may arrive after the stdout announcement.
    await waitFor(() => proc.output().includes("a warning"));
    expect(await proc.stop()).toBe(0);
    expect(proc.output()).toContain("bye");
    expect(await proc.exited).toBe(0);
  });

  it("rejects with the output when the child exits before it is ready", async () => {
    const err = await node("crasher", `console.log("config is broken"); process.exit(3);`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^crasher .* exited with code 3 before it was ready/);
    expect((err as Error).message).toContain("config is broken");
  });

  it("rejects after readyTimeoutMs and kills the child", async () => {
    const err = await node("sleeper", `console.log("pid=" + process.pid); setInterval(() => {}, 1000);`, {
      readyTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/did not print WEIR_READY within 300 ms/);
    const pid = Number(/pid=(\d+)/.exec((err as Error).message)?.[1]);
    await waitFor(() => !alive(pid), { timeoutMs: 3000 });
  });

  it("rejects when the announcement is not a JSON object", async () => {
    const err = await node("garbled", `console.log("WEIR_READY {oops"); setInterval(() => {}, 1000);`).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/announced readiness with invalid JSON/);
  });

  it("stop() escalates to SIGKILL after the grace period", async () => {
    const proc = await node(
      "stubborn",
      `process.on("SIGTERM", () => {}); console.log("WEIR_READY {}"); setInterval(() => {}, 1000);`,
    );
    const start = performance.now();
    expect(await proc.stop(200)).toBeNull();
    expect(performance.now() - start).toBeGreaterThanOrEqual(190);
    expect(alive(proc.pid)).toBe(false);
  });

  it("signal() reaches the child", async () => {
    const proc = await node(
      "hup",
      `process.on("SIGHUP", () => process.exit(7)); console.log("WEIR_READY {}"); setInterval(() => {}, 1000);`,
    );
    proc.signal("SIGHUP");
    expect(await proc.exited).toBe(7);
  });

  it("kills every child when the test process exits without stop()", async () => {
    // A parent that starts a child through the built testkit and exits without stopping it.
    const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const parent = `
      const { startProcess } = await import(${JSON.stringify(dist)});
      const child = await startProcess({ name: "orphan", command: process.execPath, echo: false,
        args: ["-e", 'console.log("WEIR_READY " + JSON.stringify({ pid: process.pid })); setInterval(() => {}, 1000);'] });
      console.log(child.pid);
      process.exit(0);`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", parent], { encoding: "utf8", timeout: 10_000 });
    expect(run.status).toBe(0);
    const orphan = Number(run.stdout.trim());
    expect(orphan).toBeGreaterThan(0);
    await waitFor(() => !alive(orphan), { timeoutMs: 2000, description: `orphan ${orphan} to be gone` });
  });
});
