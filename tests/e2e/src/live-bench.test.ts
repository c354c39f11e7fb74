import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `weir bench --live` end to end, as a user runs it: the CLI starts, per
// deployment, a fresh nats-server and every service as a process, replays
// a tiny open-loop workload (sim engines at 20×) and prints its report as
// JSON. Two deployments keep it well under a minute on a 2-core machine:
// large-only (4 workers on 8 GPUs) and the static cascade (small and large
// workers, learned router at a huge budget, trained judge).
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const REQUESTS = 14;

interface RecordJson {
  i: number;
  status: number;
  error?: string;
  tier?: string;
  path?: string[];
  escalated?: boolean;
  correct?: boolean;
  replayed?: boolean;
  tokens?: number;
}

interface Report {
  mode: string;
  deployments: { name: string; figures: { requests: number }; live: { sent: number; completed: number; errors: Record<string, number> }; records: RecordJson[] }[];
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("node", ["packages/cli/dist/main.js", ...args], { cwd: ROOT, timeout: 110_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr });
    });
  });
}

describe("weir bench --live", () => {
  it("serves every request of each deployment through the live stack, on the tiers the deployment has", { timeout: 120_000 }, async () => {
    const run = await runCli([
      "bench", "--live",
      "--trace", "azure_llm_2023_conv.csv", "--dataset", "gsm8k", "--artifacts", "artifacts/gsm8k",
      "--requests", String(REQUESTS), "--rate-scale", "4", "--speedup", "20",
      "--deployments", "large-only,static-cascade", "--json",
    ]);
    expect(run.stderr).not.toMatch(/weir bench:/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.mode).toBe("live");
    expect(report.deployments.map((d) => d.name)).toEqual(["large-only", "static-cascade"]);
    for (const d of report.deployments) {
      // Complete: one record per request, each answered or counted as an error.
      expect(d.records.map((r) => r.i)).toEqual([...Array(REQUESTS).keys()]);
      expect(d.live.sent).toBe(REQUESTS);
      const errors = Object.values(d.live.errors).reduce((a, n) => a + n, 0);
      expect(d.live.completed + errors).toBe(REQUESTS);
      for (const r of d.records) expect(r.error === undefined ? r.tier !== undefined && r.status === 200 : r.tier === undefined).toBe(true);
      // At 20× on a warmed stack nothing should fail at this load.
      expect(d.live.completed).toBe(REQUESTS);
      const answered = d.records.filter((r) => r.error === undefined);
      // The answer is the answering tier's recorded one, so its label grades it.
      expect(answered.every((r) => r.replayed === true && typeof r.correct === "boolean" && (r.tokens ?? 0) > 0)).toBe(true);
    }
    const [large, cascade] = report.deployments as [Report["deployments"][0], Report["deployments"][0]];
    expect(large.records.every((r) => r.tier === "large" && r.escalated === false && r.path?.join() === "large")).toBe(true);
    // The static cascade starts every request small; an escalation is answered by large, the rest by small.
    for (const r of cascade.records) {
      expect(r.path?.[0]).toBe("small");
      expect(r.tier).toBe(r.escalated === true ? "large" : "small");
    }
  });

  it("deploys Weir's plan as weir plan --apply does: the scheduler starts the planned workers, the router applies the plan's β", { timeout: 120_000 }, async () => {
    // Planned for the peak (×30, where a cascade beats large-only), replayed
    // at ×4: the plan is stored in weir_deployment before the stack starts.
    const run = await runCli([
      "bench", "--live",
      "--trace", "azure_llm_2023_conv.csv", "--dataset", "gsm8k", "--artifacts", "artifacts/gsm8k",
      "--requests", String(REQUESTS), "--rate-scale", "4", "--speedup", "20",
      "--plan-rate-scale", "30", "--plan-requests", "500", "--cache", "",
      "--deployments", "weir", "--json",
    ]);
    expect(run.stderr).not.toMatch(/weir bench:/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report & { weir: { knob: string }; deployments: { instances: string[]; notes: string[] }[] };
    const [weir] = report.deployments;
    expect(report.weir.knob).toMatch(/^β = /);
    expect(weir!.notes.join()).toMatch(/weir plan --apply/);
    // Both tiers have workers (the stack itself starts none with scheduler.localWorkers).
    expect(weir!.instances.length).toBe(2);
    expect(weir!.live.completed).toBe(REQUESTS);
    const paths = weir!.records.map((r) => r.path?.join(">"));
    // The router routes by the plan's β: a cascade, not one tier for everything.
    expect(paths.some((p) => p?.startsWith("small"))).toBe(true);
    for (const r of weir!.records) expect(r.tier).toBe(r.path?.at(-1));
  });

  it("asks for exactly one of --virtual and --live", async () => {
    const both = await runCli(["bench", "--live", "--virtual", "--trace", "azure_llm_2023_conv.csv", "--dataset", "gsm8k"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give exactly one of --virtual .* and --live/);
    const neither = await runCli(["bench", "--trace", "azure_llm_2023_conv.csv", "--dataset", "gsm8k"]);
    expect(neither.code).toBe(2);
  });
});
