// `pnpm bench:routing`: the CPU cost of the learned routing decision per
// request, in process (no NATS): the router's plan (embed the last user
// message, nearest centroid, start tier under β) plus the judge's verdict on
// the first rung's answer (embed again, QE features incl. the arithmetic
// verifier, logistic model, isotonic calibration). Requests are real GSM8K
// questions with Mixtral's recorded answers and MMLU questions. Target:
// router + QE decision ≤ 1 ms p50.
import { loadGsm8k, loadMmlu } from "@weir/datasets";
import { LearnedRouter, TrainedJudge, loadArtifact } from "@weir/routing";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { fmt, summarize } from "./stats.js";

const dir = process.argv[2] ?? fileURLToPath(new URL("../../../artifacts/gsm8k-mmlu/", import.meta.url));
const artifact = loadArtifact(dir);
const tiers = artifact.tiers.map((t) => ({ name: t.name, qeThreshold: 0.5 }));
const router = new LearnedRouter({ tiers, artifact });
const judge = new TrainedJudge(router.model);
const small = artifact.tiers[0]!;

const gsm8k = loadGsm8k().rows.map((r) => ({ prompt: r.prompt, answer: r.response[small.model] ?? "" }));
const mmlu = loadMmlu().rows.filter((_, i) => i % 10 === 0).map((r) => ({ prompt: r.prompt, answer: "B" }));
const requests = [...gsm8k, ...mmlu];
// The judge receives the prompt flattened as @weir/tokens flattenMessages writes it.

function decide(r: { prompt: string; answer: string }): void {
  const plan = router.planSync({ model: "weir-auto", messages: [{ role: "user", content: r.prompt }], prompt: "" });
  const first = plan.steps[0]!;
  if (plan.steps.length > 1) {
    judge.scoreSync({ tier: first.tier, prompt: `<|user|>\n${r.prompt}\n`, response: r.answer, threshold: first.qeThreshold, finishReason: "stop" });
  }
}

// Warm-up: let V8 optimise the hot paths before measuring.
for (let i = 0; i < 2000; i++) decide(requests[i % requests.length]!);

const samples: number[] = [];
const planOnly: number[] = [];
for (let round = 0; round < 2; round++) {
  for (const r of requests) {
    const t0 = process.hrtime.bigint();
    decide(r);
    const t1 = process.hrtime.bigint();
    router.planSync({ model: "weir-auto", messages: [{ role: "user", content: r.prompt }], prompt: "" });
    const t2 = process.hrtime.bigint();
    samples.push(Number(t1 - t0) / 1e6);
    planOnly.push(Number(t2 - t1) / 1e6);
  }
}

const all = summarize(samples);
const plans = summarize(planOnly);
const cpu = cpus()[0]?.model ?? "unknown CPU";
process.stdout.write(
  [
    `routing decision on ${cpu} (${cpus().length} cores), artifact ${dir} (k=${artifact.centroids.length}, ${artifact.embedder.kind} ${artifact.embedder.dims} dims)`,
    `${samples.length} decisions over ${requests.length} requests (${gsm8k.length} GSM8K with answers, ${mmlu.length} MMLU)`,
    "",
    "| | p50 | p90 | p99 | mean |",
    "|---|---|---|---|---|",
    `| router plan + QE verdict | ${fmt(all.p50)} | ${fmt(all.p90)} | ${fmt(all.p99)} | ${fmt(all.mean)} |`,
    `| router plan alone | ${fmt(plans.p50)} | ${fmt(plans.p90)} | ${fmt(plans.p99)} | ${fmt(plans.mean)} |`,
    "",
    `target: router + QE ≤ 1 ms p50: ${all.p50 <= 1 ? "met" : "missed"}`,
    "",
  ].join("\n"),
);
