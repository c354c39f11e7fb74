import { describe, expect, it } from "vitest";
import { distEntry, spawnScript } from "./test-support/spawn-script.js";

/** A service that drains with `drainBody` on a signal and says when it is ready. */
function service(drainBody: string, timeoutMs = 5000): string {
  return `
import { announceReady, createLogger, onShutdown } from ${JSON.stringify(distEntry)};
const logger = createLogger("drain-test");
setInterval(() => {}, 1000); // stands in for the service's servers
onShutdown(async (signal) => { ${drainBody} }, { timeoutMs: ${timeoutMs}, logger });
announceReady(logger, { httpPort: 1234 });
`;
}

/** Parsed JSON log lines of a run. */
function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("onShutdown", () => {
  it("runs the drain on SIGTERM, then exits 0", async () => {
    const run = spawnScript(service('process.stdout.write("drained on " + signal + "\\n");'));
    const ready = await run.waitForLine("WEIR_READY ");
    expect(JSON.parse(ready.slice("WEIR_READY ".length))).toEqual({ service: "drain-test", pid: run.child.pid, httpPort: 1234 });
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain("drained on SIGTERM\n");
    const messages = logLines(run.stdout()).map((l) => l["msg"]);
    expect(messages).toEqual(["ready", "shutting down: draining", "drained; exiting"]);
  });

  it("drains on SIGINT too", async () => {
    const run = spawnScript(service('process.stdout.write("drained on " + signal + "\\n");'));
    await run.waitForLine("WEIR_READY ");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain("drained on SIGINT\n");
  });

  it("exits 1 when the drain fails", async () => {
    const run = spawnScript(service('throw new Error("nats would not drain");'));
    await run.waitForLine("WEIR_READY ");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(1);
    const failure = logLines(run.stdout()).find((l) => l["msg"] === "drain failed; exiting");
    expect(failure?.["level"]).toBe("error");
    expect(JSON.stringify(failure?.["err"])).toContain("nats would not drain");
  });

  it("exits 1 when the drain outlasts its timeout", async () => {
    const run = spawnScript(service("await new Promise(() => {});", 200));
    await run.waitForLine("WEIR_READY ");
    const start = Date.now();
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(1);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(logLines(run.stdout()).map((l) => l["msg"])).toContain("drain did not finish within 200 ms; exiting");
  });

  it("exits 1 at once on a second signal", async () => {
    const run = spawnScript(service('process.stdout.write("draining\\n"); await new Promise((r) => setTimeout(r, 8000));'));
    await run.waitForLine("WEIR_READY ");
    run.child.kill("SIGTERM");
    await run.waitForLine("draining");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(1);
    expect(logLines(run.stdout()).map((l) => l["msg"])).toContain("second signal while draining; exiting now");
  });
});
