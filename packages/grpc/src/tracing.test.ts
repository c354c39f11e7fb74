import { SpanKind, SpanStatusCode, context, trace, type SpanContext } from "@opentelemetry/api";
import { ErrorCode, WeirError } from "@weir/errors";
import { InferenceService, WorkerService } from "@weir/proto";
import { installTestTracing, type FinishedSpan } from "@weir/testkit/tracing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addService } from "./add-service.js";
import type { CallContext } from "./call-context.js";
import { createClient } from "./client.js";
import { deferred, rejectionOf, startServer, type TestServer } from "./test-support/server.js";

// What an application's SDK would register (vitest isolates each test file,
// so these globals do not leak into the other tests).
const tracing = installTestTracing();

interface Seen {
  traceparent: unknown;
  ctxSpan: ReturnType<CallContext["span"]["spanContext"]>;
  activeSpan: ReturnType<CallContext["span"]["spanContext"]> | undefined;
}

let running: TestServer;
let seen = deferred<Seen>();
function observe(ctx: CallContext): void {
  seen.resolve({
    traceparent: ctx.metadata.get("traceparent")[0],
    ctxSpan: ctx.span.spanContext(),
    activeSpan: trace.getActiveSpan()?.spanContext(),
  });
}

beforeAll(async () => {
  running = await startServer((server) => {
    addService(server, InferenceService, {
      generate: () => {
        throw WeirError.notFound("no tier named large", "model");
      },
      generateStream: async function* () {
        throw new Error("boom");
      },
      listModels: (_req, ctx) => {
        observe(ctx);
        return {};
      },
    });
    addService(server, WorkerService, {
      generateTokens: async function* (_req, ctx) {
        observe(ctx);
        yield { text: "a" };
      },
    });
  });
});

afterAll(async () => {
  await running.stop();
  await tracing.uninstall();
});

/** Runs `fn` under a fresh root span, as an instrumented caller would. */
async function underRoot<T>(fn: () => Promise<T>): Promise<{ root: SpanContext; result: T }> {
  const rootSpan = trace.getTracer("test").startSpan("test-root", { root: true });
  const result = await context.with(trace.setSpan(context.active(), rootSpan), fn);
  rootSpan.end();
  return { root: rootSpan.spanContext(), result };
}

/** The newest span with this name and kind (ended spans only: the call is over). */
function lastSpan(name: string, kind: SpanKind): FinishedSpan {
  const span = tracing
    .finishedSpans()
    .filter((s) => s.name === name && s.kind === kind)
    .at(-1);
  if (span === undefined) throw new Error(`no ${SpanKind[kind]} span ${name}`);
  return span;
}

describe("trace context over gRPC", () => {
  it("propagates the caller's trace to a unary handler through traceparent", async () => {
    seen = deferred<Seen>();
    const client = createClient(InferenceService, running.address);
    const { root } = await underRoot(() => client.listModels({}));
    client.close();
    const server = await seen.promise;
    const clientSpan = lastSpan("weir.v1.InferenceService/ListModels", SpanKind.CLIENT);
    const serverSpan = lastSpan("weir.v1.InferenceService/ListModels", SpanKind.SERVER);

    // The header carries the client span (the server's parent), in the caller's trace.
    expect(server.traceparent).toBe(`00-${root.traceId}-${clientSpan.spanId}-01`);
    expect(clientSpan.parentSpanId).toBe(root.spanId);
    expect(serverSpan).toMatchObject({ traceId: root.traceId, parentSpanId: clientSpan.spanId, parentIsRemote: true });
    // The handler's ctx.span is the SERVER span, and it is the active span while the handler runs.
    expect(server.ctxSpan).toMatchObject({ traceId: serverSpan.traceId, spanId: serverSpan.spanId });
    expect(server.activeSpan).toEqual(server.ctxSpan);

    for (const span of [clientSpan, serverSpan]) {
      expect(span.attributes).toEqual({
        "rpc.system": "grpc",
        "rpc.service": "weir.v1.InferenceService",
        "rpc.method": "ListModels",
        "rpc.grpc.status_code": 0,
      });
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    }
  });

  it("propagates it to a streaming handler too", async () => {
    seen = deferred<Seen>();
    const client = createClient(WorkerService, running.address);
    const { root } = await underRoot(async () => {
      for await (const _ of client.generateTokens({})) void _;
    });
    client.close();
    const server = await seen.promise;
    const serverSpan = lastSpan("weir.v1.WorkerService/GenerateTokens", SpanKind.SERVER);
    expect(server.activeSpan?.traceId).toBe(root.traceId);
    expect(serverSpan.traceId).toBe(root.traceId);
    expect(serverSpan.attributes["rpc.grpc.status_code"]).toBe(0);
    expect(lastSpan("weir.v1.WorkerService/GenerateTokens", SpanKind.CLIENT).traceId).toBe(root.traceId);
  });

  it("records a client fault as an error on the client span only (OTel conventions)", async () => {
    const client = createClient(InferenceService, running.address);
    const { result } = await underRoot(() => rejectionOf(client.generate({})));
    client.close();
    expect(result).toMatchObject({ code: ErrorCode.NOT_FOUND });
    const serverSpan = lastSpan("weir.v1.InferenceService/Generate", SpanKind.SERVER);
    const clientSpan = lastSpan("weir.v1.InferenceService/Generate", SpanKind.CLIENT);
    expect(serverSpan.attributes["rpc.grpc.status_code"]).toBe(5);
    expect(serverSpan.status.code).toBe(SpanStatusCode.UNSET);
    expect(serverSpan.events.filter((e) => e.name === "exception")).toHaveLength(1);
    expect(clientSpan.attributes["rpc.grpc.status_code"]).toBe(5);
    expect(clientSpan.status).toEqual({ code: SpanStatusCode.ERROR, message: "no tier named large" });
  });

  it("records a server failure as an error on both spans", async () => {
    const client = createClient(InferenceService, running.address);
    const { result } = await underRoot(() =>
      rejectionOf(
        (async () => {
          for await (const _ of client.generateStream({})) void _;
        })(),
      ),
    );
    client.close();
    expect(result).toMatchObject({ code: ErrorCode.INTERNAL });
    for (const kind of [SpanKind.SERVER, SpanKind.CLIENT]) {
      const span = lastSpan("weir.v1.InferenceService/GenerateStream", kind);
      expect(span.attributes["rpc.grpc.status_code"]).toBe(13);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "internal error: boom" });
    }
  });
});
