import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { GenerateResponseSchema, InferenceService, WorkerService } from "@weir/proto";
import { afterEach, describe, expect, it } from "vitest";
import { addService } from "./add-service.js";
import { createClient } from "./client.js";
import { createGrpcServer, listen, shutdown } from "./server.js";
import { deferred, rejectionOf, sleep, startServer, within, type TestServer } from "./test-support/server.js";

let running: TestServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** An InferenceService whose generate echoes the prompt and waits `delayMs`. */
function inference(delayMs = 0, aborted?: (reason: unknown) => void): Promise<TestServer> {
  return startServer((server) =>
    addService(server, InferenceService, {
      generate: async (req, ctx) => {
        ctx.signal.addEventListener("abort", () => aborted?.(ctx.signal.reason));
        if (delayMs > 0) await sleep(delayMs, ctx.signal);
        return create(GenerateResponseSchema, {
          id: req.input?.requestId ?? "",
          model: req.input?.model ?? "",
          text: `echo: ${req.input?.prompt ?? ""}`,
          finishReason: "stop",
          usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
        });
      },
      generateStream: async function* (req) {
        for (const word of (req.input?.prompt ?? "").split(" ")) yield { textDelta: word };
        yield { finishReason: "stop" };
      },
      listModels: () => ({
        models: [
          { id: "weir-auto", kind: "cascade" },
          { id: "small", kind: "tier", servedModel: "meta-llama/Llama-3.1-8B-Instruct", inputPricePerMtok: 0.1 },
        ],
      }),
    }),
  );
}

describe("createClient round trips", () => {
  it("calls unary methods with init shapes and returns messages", async () => {
    running = await inference();
    const client = createClient(InferenceService, running.address);
    const res = await client.generate({
      input: { model: "weir-auto", prompt: "hello", requestId: "req-1", messages: [{ role: "user", content: "hi" }] },
    });
    expect(res.$typeName).toBe("weir.v1.GenerateResponse");
    expect(res).toMatchObject({ id: "req-1", model: "weir-auto", text: "echo: hello", finishReason: "stop" });
    expect(res.usage?.totalTokens).toBe(5);
    const models = await client.listModels({});
    expect(models.models.map((m) => [m.id, m.kind])).toEqual([
      ["weir-auto", "cascade"],
      ["small", "tier"],
    ]);
    expect(models.models[1]?.inputPricePerMtok).toBe(0.1);
    client.close();
  });

  it("streams server-streaming methods in order", async () => {
    running = await inference();
    const client = createClient(InferenceService, running.address);
    const events = [];
    for await (const ev of client.generateStream({ input: { prompt: "one two three" } })) events.push(ev);
    expect(events.map((e) => e.textDelta)).toEqual(["one", "two", "three", ""]);
    expect(events.at(-1)?.finishReason).toBe("stop");
    client.close();
  });

  it("streams WorkerService.generateTokens with usage on the last message", async () => {
    running = await startServer((server) =>
      addService(server, WorkerService, {
        generateTokens: async function* (req) {
          for (let i = 0; i < req.maxTokens; i++) yield { text: `tok${i} `, tokenCount: 1 };
          yield { finishReason: "length", usage: { completionTokens: req.maxTokens } };
        },
      }),
    );
    const client = createClient(WorkerService, running.address);
    let text = "";
    let last;
    for await (const msg of client.generateTokens({ requestId: "r", tier: "small", maxTokens: 4, prompt: "p" })) {
      text += msg.text;
      last = msg;
    }
    expect(text).toBe("tok0 tok1 tok2 tok3 ");
    expect(last?.finishReason).toBe("length");
    expect(last?.usage?.completionTokens).toBe(4);
    client.close();
  });
});

describe("createClient failures", () => {
  it("says which service it cannot reach", async () => {
    // A port that was just bound and released: nothing listens there.
    const server = createGrpcServer();
    const port = await listen(server, "127.0.0.1:0");
    await shutdown(server, 0);
    const address = `127.0.0.1:${port}`;
    const client = createClient(InferenceService, address);
    const err = await rejectionOf(client.listModels({}));
    client.close();
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect((err as Error).message).toMatch(new RegExp(`^cannot reach weir\\.v1\\.InferenceService at ${address}: .+`));
  });

  it("fails a stream that cannot connect, at the first read", async () => {
    const server = createGrpcServer();
    const port = await listen(server, "127.0.0.1:0");
    await shutdown(server, 0);
    const client = createClient(WorkerService, `127.0.0.1:${port}`);
    const err = await rejectionOf((async () => {
      for await (const _ of client.generateTokens({})) void _;
    })());
    client.close();
    expect(err).toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });

  it("fails with DEADLINE_EXCEEDED and a sentence when the deadline passes", async () => {
    running = await inference(5_000);
    const client = createClient(InferenceService, running.address);
    const err = await rejectionOf(client.generate({}, { deadlineMs: 100 }));
    client.close();
    expect(err).toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
    expect((err as Error).message).toMatch(/^weir\.v1\.InferenceService\/Generate at .+ did not answer within 100 ms/);
  });

  it("cancels a unary call when the signal aborts, and the server sees it", async () => {
    const serverReason = deferred<unknown>();
    running = await inference(5_000, serverReason.resolve);
    const client = createClient(InferenceService, running.address);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await rejectionOf(client.generate({}, { signal: ac.signal }));
    client.close();
    expect(err).toMatchObject({ code: ErrorCode.CANCELLED });
    expect(await within(2_000, serverReason.promise, "the server's abort")).toMatchObject({ code: ErrorCode.CANCELLED });
  });

  it("does not start a call whose signal is already aborted", async () => {
    let calls = 0;
    running = await startServer((server) =>
      addService(server, WorkerService, {
        generateTokens: async function* () {
          calls++;
        },
      }),
    );
    const client = createClient(WorkerService, running.address);
    const err = await rejectionOf((async () => {
      for await (const _ of client.generateTokens({}, { signal: AbortSignal.abort() })) void _;
    })());
    client.close();
    expect(err).toMatchObject({ code: ErrorCode.CANCELLED });
    expect(calls).toBe(0);
  });

  it("ends a stream with CANCELLED when the signal aborts mid-stream, stopping the server", async () => {
    const finished = deferred();
    running = await startServer((server) =>
      addService(server, WorkerService, {
        generateTokens: async function* (_req, ctx) {
          try {
            for (let i = 0; ; i++) {
              yield { text: `t${i}` };
              await sleep(5, ctx.signal);
            }
          } finally {
            finished.resolve();
          }
        },
      }),
    );
    const client = createClient(WorkerService, running.address);
    const ac = new AbortController();
    const seen: string[] = [];
    const err = await rejectionOf((async () => {
      for await (const msg of client.generateTokens({}, { signal: ac.signal })) {
        seen.push(msg.text);
        if (seen.length === 2) ac.abort();
      }
    })());
    client.close();
    expect(err).toMatchObject({ code: ErrorCode.CANCELLED });
    expect(seen.slice(0, 2)).toEqual(["t0", "t1"]);
    await within(2_000, finished.promise, "the server generator's finally");
  });

  it("delivers the messages before a mid-stream error, then the WeirError", async () => {
    running = await startServer((server) =>
      addService(server, WorkerService, {
        generateTokens: async function* () {
          yield { text: "a" };
          yield { text: "b" };
          throw WeirError.resourceExhausted("the engine's queue is full; retry shortly", 500);
        },
      }),
    );
    const client = createClient(WorkerService, running.address);
    const seen: string[] = [];
    const err = await rejectionOf((async () => {
      for await (const msg of client.generateTokens({})) seen.push(msg.text);
    })());
    client.close();
    expect(seen).toEqual(["a", "b"]);
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({
      code: ErrorCode.RESOURCE_EXHAUSTED,
      message: "the engine's queue is full; retry shortly",
      retryAfterMs: 500,
    });
  });

  it("fails calls on a closed client with UNAVAILABLE", async () => {
    running = await inference();
    const client = createClient(InferenceService, running.address);
    client.close();
    const err = await rejectionOf(client.listModels({}));
    expect(err).toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect((err as Error).message).toMatch(/^cannot call weir\.v1\.InferenceService\/ListModels at /);
  });
});
