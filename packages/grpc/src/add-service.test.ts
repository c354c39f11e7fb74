import * as grpc from "@grpc/grpc-js";
import type { DescService } from "@bufbuild/protobuf";
import { ErrorCode, GrpcStatus, WeirError, decodeErrorInfo } from "@weir/errors";
import { InferenceService, WorkerService } from "@weir/proto";
import { afterEach, describe, expect, it } from "vitest";
import { addService } from "./add-service.js";
import type { CallContext } from "./call-context.js";
import { createClient } from "./client.js";
import { createGrpcServer } from "./server.js";
import { ERROR_INFO_KEY } from "./status.js";
import { deferred, rejectionOf, sleep, startServer, within, type TestServer } from "./test-support/server.js";

let running: TestServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function listModelsThrowing(err: unknown): Promise<TestServer> {
  return startServer((server) =>
    addService(server, InferenceService, {
      generate: () => ({}),
      generateStream: async function* () {},
      listModels: () => {
        throw err;
      },
    }),
  );
}

describe("addService errors", () => {
  it("sends a thrown WeirError with its code, message and field", async () => {
    running = await listModelsThrowing(WeirError.invalidArgument("messages must not be empty", "messages"));
    const client = createClient(InferenceService, running.address);
    const err = await rejectionOf(client.listModels({}));
    client.close();
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: "messages must not be empty", field: "messages" });
  });

  it("sends the gRPC status of the code and the ErrorInfo in weir-error-bin", async () => {
    running = await listModelsThrowing(WeirError.resourceExhausted("the tier is full; retry shortly", 250));
    const raw = new grpc.Client(running.address, grpc.credentials.createInsecure());
    const err = await new Promise<grpc.ServiceError>((resolve) =>
      raw.makeUnaryRequest(
        "/weir.v1.InferenceService/ListModels",
        () => Buffer.alloc(0),
        (b: Buffer) => b,
        null,
        (e) => resolve(e as grpc.ServiceError),
      ),
    );
    raw.close();
    expect(err.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(err.details).toBe("the tier is full; retry shortly");
    const info = decodeErrorInfo(err.metadata.get(ERROR_INFO_KEY)[0] as Buffer);
    expect(info).toMatchObject({ code: ErrorCode.RESOURCE_EXHAUSTED, retryAfterMs: 250 });
  });

  it("turns any other throw into INTERNAL, keeping the message", async () => {
    running = await listModelsThrowing(new RangeError("index out of range"));
    const client = createClient(InferenceService, running.address);
    const err = await rejectionOf(client.listModels({}));
    client.close();
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL, message: "internal error: index out of range" });
  });

  it("answers undecodable request bytes with INVALID_ARGUMENT", async () => {
    let called = false;
    running = await startServer((server) =>
      addService(server, InferenceService, {
        generate: () => {
          called = true;
          return {};
        },
        generateStream: async function* () {},
        listModels: () => ({}),
      }),
    );
    // Field 1 (input), length-delimited, claims 5 bytes but carries 1.
    const junk = Buffer.from([0x0a, 0x05, 0x01]);
    const raw = new grpc.Client(running.address, grpc.credentials.createInsecure());
    const err = await new Promise<grpc.ServiceError>((resolve) =>
      raw.makeUnaryRequest(
        "/weir.v1.InferenceService/Generate",
        (b: Buffer) => b,
        (b: Buffer) => b,
        junk,
        (e) => resolve(e as grpc.ServiceError),
      ),
    );
    raw.close();
    expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(err.details).toMatch(/^request is not a valid weir\.v1\.GenerateRequest/);
    expect(decodeErrorInfo(err.metadata.get(ERROR_INFO_KEY)[0] as Buffer)?.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(called).toBe(false);
  });
});

describe("addService cancellation", () => {
  it("aborts the handler's signal when the deadline passes, and the client sees DEADLINE_EXCEEDED", async () => {
    const seen = deferred<CallContext>();
    const aborted = deferred<unknown>();
    running = await startServer((server) =>
      addService(server, InferenceService, {
        generate: async (_req, ctx) => {
          seen.resolve(ctx);
          ctx.signal.addEventListener("abort", () => aborted.resolve(ctx.signal.reason));
          await sleep(5_000, ctx.signal);
          return {};
        },
        generateStream: async function* () {},
        listModels: () => ({}),
      }),
    );
    const client = createClient(InferenceService, running.address);
    const started = Date.now();
    const err = await rejectionOf(client.generate({}, { deadlineMs: 150 }));
    client.close();
    expect(err).toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
    const ctx = await seen.promise;
    expect(ctx.deadline?.getTime()).toBeGreaterThan(started);
    expect(ctx.deadline?.getTime()).toBeLessThanOrEqual(started + 150 + 50);
    const reason = await within(2_000, aborted.promise, "the server's abort");
    expect(reason).toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
  });

  it("gives a handler without deadline an undefined one, and the request metadata", async () => {
    const seen = deferred<CallContext>();
    running = await startServer((server) =>
      addService(server, InferenceService, {
        generate: () => ({}),
        generateStream: async function* () {},
        listModels: (_req, ctx) => {
          seen.resolve(ctx);
          return {};
        },
      }),
    );
    const client = createClient(InferenceService, running.address);
    await client.listModels({});
    client.close();
    const ctx = await seen.promise;
    expect(ctx.deadline).toBeUndefined();
    expect(ctx.signal.aborted).toBe(false);
    expect(ctx.metadata.get("user-agent")[0]).toMatch(/grpc-node-js/);
  });

  it("stops the server's iteration when the client stops reading early", async () => {
    const finished = deferred();
    const reason = deferred<unknown>();
    let produced = 0;
    running = await startServer((server) =>
      addService(server, WorkerService, {
        generateTokens: async function* (_req, ctx) {
          ctx.signal.addEventListener("abort", () => reason.resolve(ctx.signal.reason));
          try {
            for (;;) {
              produced++;
              yield { text: `t${produced}`, tokenCount: 1 };
              await sleep(5);
            }
          } finally {
            finished.resolve();
          }
        },
      }),
    );
    const client = createClient(WorkerService, running.address);
    const texts: string[] = [];
    for await (const msg of client.generateTokens({ requestId: "r1" })) {
      texts.push(msg.text);
      if (texts.length === 3) break;
    }
    expect(texts).toEqual(["t1", "t2", "t3"]);
    await within(2_000, finished.promise, "the server generator's finally");
    expect(await reason.promise).toMatchObject({ code: ErrorCode.CANCELLED });
    const producedAtStop = produced;
    await sleep(50);
    expect(produced).toBe(producedAtStop);
    client.close();
  });

  it("waits for the client to read (backpressure) instead of buffering the whole answer", async () => {
    const total = 2_000;
    let produced = 0;
    const text = "x".repeat(16 * 1024);
    running = await startServer((server) =>
      addService(server, WorkerService, {
        generateTokens: async function* () {
          for (let i = 0; i < total; i++) {
            produced++;
            yield { text, tokenCount: i };
          }
        },
      }),
    );
    const client = createClient(WorkerService, running.address);
    let received = 0;
    for await (const msg of client.generateTokens({})) {
      expect(msg.tokenCount).toBe(received);
      received++;
      if (received === 1) {
        await sleep(300);
        // Without backpressure all 2,000 (32 MB) are written by now; flow-control
        // windows and stream buffers hold a few dozen.
        expect(produced).toBeLessThan(200);
      }
    }
    expect(received).toBe(total);
    client.close();
  });
});

describe("addService registration", () => {
  it("rejects client- and bidi-streaming methods", () => {
    const method = WorkerService.method.generateTokens;
    const bidi = { ...WorkerService, methods: [{ ...method, methodKind: "bidi_streaming" }] } as unknown as DescService;
    expect(() => addService(createGrpcServer(), bidi, { generateTokens: async function* () {} } as never)).toThrow(
      /GenerateTokens is bidi_streaming; only unary and server_streaming methods are supported/,
    );
  });

  it("rejects an implementation that lacks a method", () => {
    expect(() => addService(createGrpcServer(), InferenceService, { listModels: () => ({}) } as never)).toThrow(
      /no handler for generate/,
    );
  });

  it("calls handlers with their object as this", async () => {
    class Models {
      readonly names = ["weir-auto", "small"];
      generate(): object {
        return {};
      }
      async *generateStream(): AsyncGenerator<object> {}
      listModels(): { models: { id: string }[] } {
        return { models: this.names.map((id) => ({ id })) };
      }
    }
    running = await startServer((server) => addService(server, InferenceService, new Models()));
    const client = createClient(InferenceService, running.address);
    const res = await client.listModels({});
    client.close();
    expect(res.models.map((m) => m.id)).toEqual(["weir-auto", "small"]);
  });
});
