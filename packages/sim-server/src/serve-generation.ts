import type { Engine, EngineChunk } from "@weir/engine";
import { WeirError, toWeirError } from "@weir/errors";
import { completionObject, finishChunk, roleChunk, textChunk, usageChunk, type ResponseMeta } from "@weir/openai-http";
import type { Exchange } from "./exchange.js";
import type { GenerationCall } from "./generation-call.js";
import { engineUsage } from "./openai-objects.js";
import type { RequestMetrics } from "./server-metrics.js";

/**
 * Runs one generation on the engine and answers it, as one JSON object or as
 * an SSE stream. The stream's head goes out with the first chunk, so a
 * failure before any token is still a proper HTTP status. When the client
 * goes away the exchange's signal aborts the generation.
 */
export async function serveGeneration(
  ex: Exchange,
  engine: Engine,
  call: GenerationCall,
  meta: ResponseMeta,
  metrics: RequestMetrics,
): Promise<void> {
  const pieces: string[] = [];
  let last: EngineChunk | undefined;
  try {
    for await (const chunk of engine.generate(call.request, ex.signal)) {
      if (ex.ended) return;
      metrics.tokens(chunk.tokenCount);
      last = chunk;
      if (!call.stream) {
        pieces.push(chunk.text);
        continue;
      }
      if (chunk.text === "") continue;
      await openStream(ex, meta);
      await ex.sendEvent(textChunk(meta, chunk.text));
    }
    if (ex.ended) return;
    const finishReason = last?.finishReason;
    const usage = last?.usage;
    if (finishReason === undefined || usage === undefined) {
      throw WeirError.internal("the engine ended the generation without a finish reason and usage");
    }
    metrics.finished(finishReason, usage);
    if (!call.stream) {
      ex.sendJson(200, completionObject(meta, { text: pieces.join(""), finishReason, usage: engineUsage(usage) }));
      return;
    }
    await openStream(ex, meta);
    await ex.sendEvent(finishChunk(meta, finishReason));
    if (call.includeUsage) await ex.sendEvent(usageChunk(meta, engineUsage(usage)));
    ex.endStream();
  } catch (err) {
    if (ex.signal.aborted) {
      metrics.aborted();
      return;
    }
    ex.fail(toWeirError(err, "sim-server"));
  }
}

/** Opens the SSE stream once; chat streams begin with the assistant role. */
async function openStream(ex: Exchange, meta: ResponseMeta): Promise<void> {
  if (ex.streaming) return;
  ex.startStream();
  if (meta.kind === "chat") await ex.sendEvent(roleChunk(meta));
}
