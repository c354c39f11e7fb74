import { headers } from "@nats-io/nats-core";
import { trace } from "@opentelemetry/api";
import { ErrorCode, WeirError } from "@weir/errors";
import { WorkerHeartbeatSchema, type WorkerHeartbeat } from "@weir/proto";
import { waitFor } from "@weir/testkit";
import { installTestTracing } from "@weir/testkit/tracing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bus } from "./connect.js";
import { publishProto } from "./publish.js";
import { subscribeProto, type MessageContext } from "./subscribe.js";
import { natsFixture, type NatsFixture } from "./test-support/nats.js";

installTestTracing();

describe("publishProto / subscribeProto", () => {
  let nats: NatsFixture;
  let pub: Bus;
  let sub: Bus;

  beforeAll(async () => {
    nats = await natsFixture();
    pub = await nats.connect("worker");
    sub = await nats.connect("scheduler");
  });
  afterAll(() => nats.dispose());

  it("delivers typed messages with the publisher's trace context", async () => {
    const got: { hb: WorkerHeartbeat; ctx: MessageContext; traceId: string | undefined }[] = [];
    const subscription = subscribeProto(sub, "test.heartbeat.>", WorkerHeartbeatSchema, (hb, ctx) => {
      got.push({ hb, ctx, traceId: trace.getActiveSpan()?.spanContext().traceId });
    });
    await sub.nc.flush();

    const traceId = trace.getTracer("test").startActiveSpan("worker.tick", (span) => {
      publishProto(pub, "test.heartbeat.small.w-1", WorkerHeartbeatSchema, {
        instanceId: "w-1",
        tier: "small",
        load: { running: 2, maxConcurrency: 8 },
        timestampMs: 1700000000000n,
      });
      span.end();
      return span.spanContext().traceId;
    });

    await waitFor(() => got.length === 1);
    const [first] = got;
    expect(first?.hb).toMatchObject({ instanceId: "w-1", tier: "small", timestampMs: 1700000000000n });
    expect(first?.hb.load?.running).toBe(2);
    expect(first?.ctx.subject).toBe("test.heartbeat.small.w-1");
    expect(first?.ctx.headers?.get("traceparent")).toContain(traceId);
    expect(first?.traceId).toBe(traceId);
    subscription.unsubscribe();
  });

  it("reports bad bytes, throws and rejections through onError and keeps going", async () => {
    const errors: unknown[] = [];
    const seen: string[] = [];
    const subscription = subscribeProto(
      sub,
      "test.events.>",
      WorkerHeartbeatSchema,
      (hb) => {
        seen.push(hb.instanceId);
        if (hb.instanceId === "throw") throw new Error("sync failure");
        if (hb.instanceId === "reject") return Promise.reject(new Error("async failure"));
        return undefined;
      },
      { onError: (err) => errors.push(err) },
    );
    await sub.nc.flush();

    pub.nc.publish("test.events.bad", new Uint8Array([0xff, 0xff, 0xff]), { headers: headers() });
    publishProto(pub, "test.events.a", WorkerHeartbeatSchema, { instanceId: "throw" });
    publishProto(pub, "test.events.b", WorkerHeartbeatSchema, { instanceId: "reject" });
    publishProto(pub, "test.events.c", WorkerHeartbeatSchema, { instanceId: "fine" });

    await waitFor(() => seen.includes("fine") && errors.length === 3);
    expect(errors[0]).toBeInstanceOf(WeirError);
    expect((errors[0] as WeirError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect((errors[0] as WeirError).message).toBe("a message on test.events.bad is not a valid weir.v1.WorkerHeartbeat");
    expect(errors.slice(1).map((e) => (e as Error).message)).toEqual(["sync failure", "async failure"]);
    subscription.unsubscribe();
  });

  it("without onError a failing handler is dropped, not fatal", async () => {
    const seen: string[] = [];
    const subscription = subscribeProto(sub, "test.quiet", WorkerHeartbeatSchema, (hb) => {
      seen.push(hb.instanceId);
      throw new Error("ignored");
    });
    await sub.nc.flush();
    publishProto(pub, "test.quiet", WorkerHeartbeatSchema, { instanceId: "one" });
    publishProto(pub, "test.quiet", WorkerHeartbeatSchema, { instanceId: "two" });
    await waitFor(() => seen.length === 2);
    subscription.unsubscribe();
  });

  it("a queue group delivers each message to one member", async () => {
    const seen: string[] = [];
    const subs = ["a", "b"].map((member) =>
      subscribeProto(sub, "test.queue", WorkerHeartbeatSchema, (hb) => void seen.push(`${member}:${hb.instanceId}`), {
        queue: "q",
      }),
    );
    await sub.nc.flush();
    for (let i = 0; i < 10; i++) publishProto(pub, "test.queue", WorkerHeartbeatSchema, { instanceId: String(i) });
    await waitFor(() => seen.length >= 10);
    await pub.nc.flush();
    expect(seen).toHaveLength(10);
    for (const s of subs) s.unsubscribe();
  });
});
