import { fromBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { ServiceErrorCodeHeader } from "@nats-io/services";
import { SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { ErrorCode, WeirError, decodeErrorInfo } from "@weir/errors";
import { PlanResponseSchema, RouterService } from "@weir/proto";
import { installTestTracing } from "@weir/testkit/tracing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Bus } from "./connect.js";
import { serveService, type ServedService } from "./serve-service.js";
import { createServiceClient } from "./service-client.js";
import { ServicePrefix } from "./subjects.js";
import { natsFixture, type NatsFixture } from "./test-support/nats.js";

const tracing = installTestTracing();

/** The router handler's behaviour is picked by the request's model field. */
const activeSpanInHandler: { active?: Span | undefined; ctxSpan?: Span } = {};

describe("serveService + createServiceClient", () => {
  let nats: NatsFixture;
  let serverBus: Bus;
  let clientBus: Bus;
  let served: ServedService;

  beforeAll(async () => {
    nats = await natsFixture();
    serverBus = await nats.connect("router");
    clientBus = await nats.connect("gateway");
    served = await serveService(serverBus, {
      name: "weir-router",
      version: "0.1.0",
      description: "test router",
      subjectPrefix: ServicePrefix.router,
      service: RouterService,
      handlers: {
        plan: (req, ctx) => {
          activeSpanInHandler.active = trace.getActiveSpan();
          activeSpanInHandler.ctxSpan = ctx.span;
          switch (req.model) {
            case "sync-throw":
              throw WeirError.invalidArgument(`model "${req.model}" is not a tier: use weir-auto or a tier name`, "model");
            case "async-reject":
              return Promise.reject(WeirError.resourceExhausted("the router is busy: retry in 1.5 s", 1500));
            case "plain-error":
              throw new Error("boom");
            default:
              return {
                plan: {
                  steps: [
                    { tier: "small", qeThreshold: 0.7 },
                    { tier: "large", qeThreshold: 0 },
                  ],
                  reason: `ladder for ${req.requestId} (${req.messages.length} messages)`,
                  policy: "static-ladder",
                },
              };
          }
        },
      },
    });
  });

  afterAll(async () => {
    await served.stop();
    await nats.dispose();
  });

  beforeEach(() => tracing.reset());

  const router = () => createServiceClient(clientBus, RouterService, ServicePrefix.router);

  it("round-trips a typed request and reply", async () => {
    const res = await router().plan({
      requestId: "r-1",
      model: "weir-auto",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.$typeName).toBe("weir.v1.PlanResponse");
    expect(res.plan?.steps.map((s) => [s.tier, s.qeThreshold])).toEqual([
      ["small", 0.7],
      ["large", 0],
    ]);
    expect(res.plan?.reason).toBe("ladder for r-1 (1 messages)");
  });

  it("a sync throw reaches the caller as the same WeirError", async () => {
    const err = await router().plan({ model: "sync-throw" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      message: 'model "sync-throw" is not a tier: use weir-auto or a tier name',
      field: "model",
      service: "weir-router",
    });
  });

  it("an async rejection reaches the caller as the same WeirError", async () => {
    const err = await router().plan({ model: "async-reject" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({
      code: ErrorCode.RESOURCE_EXHAUSTED,
      message: "the router is busy: retry in 1.5 s",
      retryAfterMs: 1500,
    });
  });

  it("a non-WeirError becomes INTERNAL", async () => {
    const err = await router().plan({ model: "plain-error" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL, message: "internal error: boom", service: "weir-router" });
  });

  it("answers undecodable request bytes with INVALID_ARGUMENT as a service error", async () => {
    const reply = await clientBus.nc.request("weir.router.plan", new Uint8Array([0xff, 0xff, 0xff]), { timeout: 1000 });
    expect(reply.headers?.get(ServiceErrorCodeHeader)).toBe("400");
    const err = decodeErrorInfo(reply.data);
    expect(err?.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(err?.message).toMatch(/^the request to weir\.v1\.RouterService\/Plan is not a valid weir\.v1\.PlanRequest/);
    // ...and the service keeps serving.
    const ok = fromBinary(PlanResponseSchema, (await clientBus.nc.request("weir.router.plan", new Uint8Array(), { timeout: 1000 })).data);
    expect(ok.plan?.policy).toBe("static-ladder");
  });

  it("is discoverable with $SRV.INFO", async () => {
    const reply = await clientBus.nc.request("$SRV.INFO.weir-router", "", { timeout: 1000 });
    const info = reply.json<{
      name: string;
      version: string;
      description: string;
      endpoints: { name: string; subject: string; queue_group?: string; metadata?: Record<string, string> }[];
    }>();
    expect(info).toMatchObject({ name: "weir-router", version: "0.1.0", description: "test router" });
    expect(info.endpoints).toEqual([
      {
        name: "plan",
        subject: "weir.router.plan",
        queue_group: "weir-router",
        metadata: { "rpc.method": "Plan", request: "weir.v1.PlanRequest", reply: "weir.v1.PlanResponse" },
      },
    ]);
    const stats = (await clientBus.nc.request("$SRV.STATS.weir-router", "", { timeout: 1000 })).json<{
      endpoints: { num_requests: number }[];
    }>();
    expect(stats.endpoints[0]?.num_requests).toBeGreaterThan(0);
  });

  it("propagates the trace: the server span is the child of the client span", async () => {
    await trace.getTracer("test").startActiveSpan("gateway.request", async (gatewaySpan) => {
      await router().plan({ requestId: "r-trace" });
      gatewaySpan.end();
    });
    const spans = tracing.finishedSpans();
    const gateway = spans.find((s) => s.name === "gateway.request");
    const client = spans.find((s) => s.kind === SpanKind.CLIENT);
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(client).toBeDefined();
    expect(server).toBeDefined();
    expect(client?.parentSpanId).toBe(gateway?.spanId);
    expect(server?.traceId).toBe(client?.traceId);
    expect(server?.parentSpanId).toBe(client?.spanId);
    expect(server?.name).toBe("weir.router.plan");
    expect(server?.attributes).toEqual({
      "messaging.system": "nats",
      "messaging.destination.name": "weir.router.plan",
      "rpc.system": "nats",
      "rpc.service": "weir.v1.RouterService",
      "rpc.method": "Plan",
    });
    expect(client?.attributes["rpc.method"]).toBe("Plan");
    expect(tracing.openSpanNames()).toEqual([]);
    // The handler ran with its server span active, and got the same span in ctx.
    expect(activeSpanInHandler.active?.spanContext().spanId).toBe(server?.spanId);
    expect(activeSpanInHandler.ctxSpan?.spanContext().spanId).toBe(server?.spanId);
  });

  it("marks both spans failed with the error code", async () => {
    await router().plan({ model: "sync-throw" }).catch(() => undefined);
    for (const kind of [SpanKind.CLIENT, SpanKind.SERVER]) {
      const span = tracing.finishedSpans().find((s) => s.kind === kind);
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes["error.type"]).toBe("invalid_argument");
      expect(span?.events.map((e) => e.name)).toContain("exception");
    }
  });

  it("stop() lets a request in flight finish", async () => {
    let release = (): void => undefined;
    const slow = await serveService(serverBus, {
      name: "weir-slow",
      version: "0.1.0",
      subjectPrefix: "test.slow",
      service: RouterService,
      handlers: {
        plan: () =>
          new Promise<MessageInitShape<typeof PlanResponseSchema>>((resolve) => {
            release = () => resolve({ plan: { policy: "late" } });
          }),
      },
    });
    const client = createServiceClient(clientBus, RouterService, "test.slow");
    const pending = client.plan({});
    await new Promise((r) => setTimeout(r, 50));
    const stopped = slow.stop();
    release();
    await stopped;
    expect((await pending).plan?.policy).toBe("late");
  });

  it("refuses a service definition without a handler", async () => {
    await expect(
      serveService(serverBus, {
        name: "weir-broken",
        version: "0.1.0",
        subjectPrefix: "test.broken",
        service: RouterService,
        handlers: {} as never,
      }),
    ).rejects.toThrow(/no handler for weir\.v1\.RouterService\/Plan/);
  });
});
