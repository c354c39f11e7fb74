import type { Client } from "@weir/grpc";
import type { InferenceService, WorkerService } from "@weir/proto";
import type { StreamSink } from "./token-window.js";

// The streaming clients of bench:stream, one function per way of reading an
// answer. Each reports text messages as they arrive and the request's output
// tokens (from its usage) when it ends.

type Messages = { role: string; content: string }[];

/** The worker's own gRPC stream, as the gateway calls it; `perMessage` is max_tokens_per_message. */
export function workerStream(worker: Client<typeof WorkerService>, messages: Messages, maxTokens: number, perMessage: number) {
  return async (sink: StreamSink): Promise<void> => {
    let tokens = 0;
    for await (const m of worker.generateTokens({ requestId: "bench", tier: "solo", messages, maxTokens, maxTokensPerMessage: perMessage })) {
      if (m.text !== "") sink.message();
      if (m.usage !== undefined) tokens = m.usage.completionTokens;
    }
    sink.done(tokens);
  };
}

/** The gateway's GenerateStream: a streaming client on the final rung (the worker sends the ready tokens, ≤ 16 per message). */
export function gatewayStream(gateways: readonly Client<typeof InferenceService>[], messages: Messages, maxTokens: number) {
  let turn = 0;
  return async (sink: StreamSink): Promise<void> => {
    const gateway = gateways[turn++ % gateways.length]!;
    let tokens = 0;
    for await (const m of gateway.generateStream({ input: { model: "weir-auto", messages, maxTokens } })) {
      if (m.textDelta !== "") sink.message();
      if (m.usage !== undefined) tokens = m.usage.completionTokens;
    }
    sink.done(tokens);
  };
}

/** The gateway's unary Generate: a non-streaming client (the worker sends the ready tokens, ≤ 256 per message). */
export function gatewayUnary(gateways: readonly Client<typeof InferenceService>[], messages: Messages, maxTokens: number) {
  let turn = 0;
  return async (sink: StreamSink): Promise<void> => {
    const gateway = gateways[turn++ % gateways.length]!;
    const res = await gateway.generate({ input: { model: "weir-auto", messages, maxTokens } });
    sink.message();
    sink.done(res.usage?.completionTokens ?? 0);
  };
}

/** Marks a text chunk of a chat completion stream (role, finish and usage chunks have none). */
const CONTENT = '"delta":{"content":';

/** OpenAI chat completions over HTTP with stream: true (SSE), usage in the last chunk. */
export function httpSse(baseUrl: string, messages: Messages, maxTokens: number) {
  const body = JSON.stringify({ model: "weir-auto", messages, max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } });
  return async (sink: StreamSink): Promise<void> => {
    const decoder = new TextDecoder();
    const res = await fetch(`${baseUrl}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
    if (res.status !== 200 || res.body === null) throw new Error(`HTTP ${res.status}`);
    // Text events are counted by their marker, not parsed: the load
    // generator shares the machine with the stack and must stay cheap.
    let tail = "";
    for await (const bytes of res.body) {
      const piece = decoder.decode(bytes as Uint8Array, { stream: true });
      // The end of the previous piece goes along: a marker may straddle two reads.
      const text = tail.slice(1 - CONTENT.length) + piece;
      for (let i = text.indexOf(CONTENT); i !== -1; i = text.indexOf(CONTENT, i + CONTENT.length)) sink.message();
      tail = (tail + piece).slice(-4096);
    }
    const usage = /"completion_tokens":(\d+)/.exec(tail);
    sink.done(usage === null ? 0 : Number(usage[1]));
  };
}
