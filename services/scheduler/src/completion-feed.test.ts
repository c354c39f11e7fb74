import { create, toBinary } from "@bufbuild/protobuf";
import { Subjects, connectBus, type Bus } from "@weir/bus";
import { parseConfig } from "@weir/config";
import { GenerationCompletedSchema, type GenerationCompleted } from "@weir/proto";
import { startNatsServer, waitFor, type NatsServerHandle } from "@weir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSchedulerCore, type SchedulerCore } from "./scheduler-core.js";

let nats: NatsServerHandle;
let bus: Bus;
let core: SchedulerCore;
const observed: GenerationCompleted[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await connectBus({ name: "completion-feed-test", url: nats.url });
  const config = parseConfig(`
tiers:
  - name: small
    model: m
scheduler: { policy: length-aware }
nats: { url: "${nats.url}" }
`);
  core = await startSchedulerCore(bus, config, { onCompletionObserved: (c) => observed.push(c) });
  await core.whenCaughtUp;
});

afterAll(async () => {
  await core?.stop();
  await bus?.close();
  await nats?.stop();
});

const publish = (tier: string, promptTokens: number, completionTokens: number) =>
  bus.nc.publish(
    Subjects.generationCompleted(tier, `${tier}-1`),
    toBinary(GenerationCompletedSchema, create(GenerationCompletedSchema, { tier, instanceId: `${tier}-1`, promptTokens, completionTokens, finishReason: "stop" })),
  );

describe("completions from workers", () => {
  it("reach the tier's placement policy, and a tier this scheduler does not place is ignored", async () => {
    const policy = core.policies.of("small");
    const fed: [number, number][] = [];
    const original = policy.observe?.bind(policy);
    expect(original).toBeDefined(); // length-aware learns output lengths
    policy.observe = (req, outputTokens) => {
      fed.push([req.promptTokens, outputTokens]);
      original?.(req, outputTokens);
    };
    publish("small", 120, 900);
    publish("other", 50, 10);
    publish("small", 300, 40);
    await waitFor(() => observed.length >= 2, { timeoutMs: 5000 });
    await bus.nc.flush();
    await new Promise((r) => setTimeout(r, 100));
    expect(fed).toEqual([
      [120, 900],
      [300, 40],
    ]);
    expect(observed.map((c) => c.tier)).toEqual(["small", "small"]);
    expect(core.policies.entries().map(([tier]) => tier)).toEqual(["small"]);
  });
});
