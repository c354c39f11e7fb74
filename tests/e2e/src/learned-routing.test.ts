import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startStack, type Stack } from "@weir/cli/stack";
import {
  PlanRequestSchema,
  PlanResponseSchema,
  ScoreRequestSchema,
  ScoreResponseSchema,
} from "@weir/proto";
import { startNatsServer, type NatsServerHandle } from "@weir/testkit";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The router (policy learned) and the judge (scorer trained) serving the
// shipped artifact (artifacts/gsm8k-mmlu), as processes on a real NATS: plans
// come from clusters, scores from the trained QE, and a changed artifact is
// picked up while an invalid one is ignored.
const SHIPPED = fileURLToPath(new URL("../../../artifacts/gsm8k-mmlu/", import.meta.url));
const GSM8K = "James decides to run 3 sprints 3 times a week. He runs 60 meters each sprint. How many total meters does he run a week?";
const ANATOMY =
  "Which of the following best describes the structure that collects urine in the body?\nA. Bladder\nB. Kidney\nC. Ureter\nD. Urethra\nAnswer:";

let dir: string;
let artifacts: string;
let nats: NatsServerHandle;
let stack: Stack;
let nc: NatsConnection;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "weir-e2e-learned-"));
  artifacts = join(dir, "artifacts");
  cpSync(SHIPPED, artifacts, { recursive: true });
  const configPath = join(dir, "weir.yaml");
  writeFileSync(
    configPath,
    `tiers:
  - name: small
    model: mistralai/Mixtral-8x7B-Instruct-v0.1
    pricing: { inputPerMTok: 0.6, outputPerMTok: 0.6 }
    engineOptions: { tokenDelayMs: 0 }
  - name: large
    model: gpt-4-1106-preview
    pricing: { inputPerMTok: 10, outputPerMTok: 30 }
    engineOptions: { tokenDelayMs: 0 }
gateway: { httpPort: 0, grpcPort: 0 }
router: { policy: learned, artifacts: artifacts }
judge: { scorer: trained }
worker: { heartbeatIntervalMs: 500 }
`,
  );
  nats = await startNatsServer();
  stack = await startStack({ configPath, natsUrl: nats.url, env: { LOG_LEVEL: "info" }, onLine: (label, line) => logs.push(`${label} | ${line}`) });
  nc = await connect({ servers: nats.url });
});

afterAll(async () => {
  await nc?.close();
  await stack?.stop();
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function plan(prompt: string, model = "weir-auto") {
  const req = create(PlanRequestSchema, { model, messages: [{ role: "user", content: prompt }] });
  const msg = await nc.request("weir.router.plan", toBinary(PlanRequestSchema, req), { timeout: 5000 });
  return fromBinary(PlanResponseSchema, msg.data).plan!;
}

async function score(prompt: string, response: string, threshold: number) {
  const req = create(ScoreRequestSchema, { tier: "small", prompt: `<|user|>\n${prompt}\n`, response, threshold, finishReason: "stop" });
  const msg = await nc.request("weir.qe.score", toBinary(ScoreRequestSchema, req), { timeout: 5000 });
  return fromBinary(ScoreResponseSchema, msg.data).score!;
}

describe("learned router and trained judge over NATS", () => {
  it("plans from the request's cluster and says why", async () => {
    const p = await plan(GSM8K);
    expect(p.policy).toBe("learned-clusters");
    expect(p.reason).toMatch(/^cluster \d+ \(gsm8k[^)]*; small acc 0\.\d\d±0\.\d\d, large 0\.\d\d\): β=[\d.]+ → start (small|large)/);
    expect(p.steps.at(-1)?.qeThreshold).toBe(0);
    const q = await plan(ANATOMY);
    expect(q.reason).toMatch(/^cluster \d+ \(mmlu\//);
    expect((await plan(GSM8K, "large")).steps.map((s) => s.tier)).toEqual(["large"]);
  });

  it("scores with the trained QE: wrong arithmetic scores lower than a clean worked answer", async () => {
    const good = await score(GSM8K, "3 x 60 = <<3*60=180>>180 meters a session.\n180 x 3 = <<180*3=540>>540 meters.\n#### 540", 0.5);
    const bad = await score(GSM8K, "3 x 60 = <<3*60=190>>190 meters a session.\n190 x 3 = <<190*3=570>>570 meters.\n#### 570", 0.5);
    expect(good.scorer).toBe("trained-qe-v1");
    expect(good.reason).toMatch(/^trained QE 0\.\d\d [≥<] threshold 0\.50/);
    expect(bad.score).toBeLessThan(good.score);
  });

  it("answers an OpenAI request through the whole cascade with the learned plan", async () => {
    const res = await fetch(`${stack.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "weir-auto", messages: [{ role: "user", content: GSM8K }], max_tokens: 16 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { weir: { route_reason: string; path: { tier: string; qe_score?: number | null }[] } };
    expect(body.weir.route_reason).toMatch(/^cluster \d+ \(gsm8k/);
    expect(["small", "large"]).toContain(body.weir.path[0]?.tier);
  });

  it("reloads a changed artifact and keeps serving the old one when the new one is invalid", async () => {
    const file = join(artifacts, "routing.json");
    const original = JSON.parse(readFileSync(file, "utf8")) as { budget: { beta: number }; createdAt: string };
    // β = 1000: every cluster starts at the cheapest tier.
    writeFileSync(file, JSON.stringify({ ...original, createdAt: new Date().toISOString(), budget: { ...original.budget, beta: 1000 } }));
    await expect.poll(async () => (await plan(ANATOMY)).reason, { timeout: 10_000, interval: 200 }).toContain("β=1000 → start small");
    writeFileSync(file, '{"schema":"weir-routing-artifact","schemaVersion":1}');
    await expect.poll(() => logs.some((l) => l.includes("new routing artifact rejected")), { timeout: 10_000, interval: 200 }).toBe(true);
    expect((await plan(ANATOMY)).reason).toContain("β=1000 → start small");
  });
});
