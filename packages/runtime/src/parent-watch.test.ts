import { describe, expect, it } from "vitest";
import { watchParent } from "./parent-watch.js";
import { distEntry, spawnScript } from "./test-support/spawn-script.js";

describe("watchParent", () => {
  it("calls back once when the parent changes, never while it stays", async () => {
    let ppid = 42;
    let gone = 0;
    watchParent(() => gone++, { parentPid: 42, intervalMs: 5, ppid: () => ppid });
    await new Promise((r) => setTimeout(r, 30));
    expect(gone).toBe(0);
    ppid = 1; // reparented: the parent died
    await new Promise((r) => setTimeout(r, 30));
    expect(gone).toBe(1);
  });

  it("does nothing without a parent pid", async () => {
    const saved = process.env.WEIR_PARENT_PID;
    delete process.env.WEIR_PARENT_PID;
    let gone = 0;
    const stop = watchParent(() => gone++, { intervalMs: 5, ppid: () => 1 });
    await new Promise((r) => setTimeout(r, 30));
    stop();
    if (saved !== undefined) process.env.WEIR_PARENT_PID = saved;
    expect(gone).toBe(0);
  });

  it("a child service drains when its parent is SIGKILLed", { timeout: 20_000 }, async () => {
    // The child: a quiet service that writes nothing until it drains, so only the watch can end it.
    const childSource = `
import { onShutdown } from ${JSON.stringify(distEntry)};
setInterval(() => {}, 1000);
onShutdown(async () => {}, { timeoutMs: 5000 });
console.log("WEIR_READY {}");
`;
    // The parent: starts it the way the stack does and prints its pid.
    const parent = spawnScript(
      `
import { writeFileSync } from "node:fs";
import { spawnChildService } from ${JSON.stringify(distEntry)};
const entry = new URL("./child.mjs", import.meta.url);
writeFileSync(entry, ${JSON.stringify(childSource)});
const svc = spawnChildService({ id: "child", entry: entry.pathname, env: process.env, onLine: () => {}, readyTimeoutMs: 10000 });
await svc.ready;
console.log("CHILD " + svc.pid);
setInterval(() => {}, 1000);
`,
      { timeoutMs: 15_000 },
    );
    const line = await parent.waitForLine("CHILD ", 10_000);
    const pid = Number(line.slice("CHILD ".length));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    parent.child.kill("SIGKILL");
    const deadline = Date.now() + 8000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  });
});
