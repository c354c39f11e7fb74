import type { Span } from "@opentelemetry/api";
import type { Cascade } from "@weir/cascade";
import { toWeirError } from "@weir/errors";
import type { GenerateResponse } from "@weir/proto";
import type { Exchange } from "./exchange.js";
import type { GenerationCall } from "./generation-call.js";
import {
  completionObject,
  finishChunk,
  openAiUsage,
  roleChunk,
  textChunk,
  usageChunk,
  type ResponseMeta,
} from "./openai-objects.js";
import { Attr } from "@weir/telemetry/semconv";
import { weirHeaders, weirSummary } from "./weir-summary.js";

/**
 * Runs the cascade for one OpenAI request and answers it, as one JSON object
 * or as an SSE stream. The stream's head goes out lazily with the first
 * delta: the cascade only emits the accepted tier's text, so by then
 * x-weir-tier is known, and an error before any text can still be a proper
 * HTTP status.
 */
export async function serveGeneration(
  ex: Exchange,
  cascade: Cascade,
  call: GenerationCall,
  meta: ResponseMeta,
  span: Span,
): Promise<void> {
  const events = cascade.run(call.input, { signal: ex.signal, requestId: call.input.requestId, stream: call.stream });
  try {
    let response: GenerateResponse | undefined;
    for await (const ev of events) {
      // Deadline or disconnect: the exchange has answered; leaving the loop stops the run.
      if (ex.ended) return;
      if (ev.type === "done") response = ev.response;
      else if (call.stream) {
        if (ev.text === "") continue;
        await startStream(ex, meta, ev.tier);
        await ex.sendEvent(textChunk(meta, ev.text));
      }
    }
    if (ex.ended) return;
    if (response === undefined) throw new Error("the cascade ended without an answer");
    recordResponse(span, response);

    const weir = weirSummary(response.cascade);
    const usage = openAiUsage(response.usage);
    if (!call.stream) {
      const completion = { text: response.text, finishReason: response.finishReason, usage };
      ex.sendJson(200, completionObject(meta, completion, { weir }), weirHeaders(response.cascade));
      return;
    }
    await startStream(ex, meta, response.cascade?.tier ?? "");
    // `weir` rides on the last chunk: the usage chunk when there is one.
    const last = weir === undefined ? undefined : { weir };
    await ex.sendEvent(finishChunk(meta, response.finishReason, call.includeUsage ? undefined : last));
    if (call.includeUsage) await ex.sendEvent(usageChunk(meta, usage, last));
    ex.endStream();
  } catch (err) {
    ex.fail(toWeirError(err, "gateway"));
  }
}

/** Opens the SSE stream once; chat streams begin with the assistant role. */
async function startStream(ex: Exchange, meta: ResponseMeta, tier: string): Promise<void> {
  if (ex.streaming) return;
  ex.startStream({ "x-weir-tier": tier });
  if (meta.kind === "chat") await ex.sendEvent(roleChunk(meta));
}

function recordResponse(span: Span, response: GenerateResponse): void {
  span.setAttributes({
    [Attr.responseModel]: response.model,
    [Attr.inputTokens]: response.usage?.promptTokens ?? 0,
    [Attr.outputTokens]: response.usage?.completionTokens ?? 0,
    [Attr.tier]: response.cascade?.tier ?? "",
    [Attr.escalated]: response.cascade?.escalated ?? false,
    [Attr.costUsd]: response.cascade?.costUsd ?? 0,
  });
}
