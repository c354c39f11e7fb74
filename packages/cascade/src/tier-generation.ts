import type { MessageInitShape } from "@bufbuild/protobuf";
import { context, type Context, type Span } from "@opentelemetry/api";
import { ErrorCode, WeirError, toWeirError } from "@weir/errors";
import type { GenerateTokensRequestSchema, Placement, Usage } from "@weir/proto";
import { abortError } from "./abort.js";
import type { CascadePorts } from "./ports.js";
import { Attr } from "@weir/telemetry/semconv";

/** One finished generation on one rung. */
export interface Generation {
  placement: Placement;
  text: string;
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  finishReason: string;
}

export interface TierGenerationRequest {
  requestId: string;
  tier: string;
  /** The request as the worker gets it (the same for every attempt). */
  worker: MessageInitShape<typeof GenerateTokensRequestSchema>;
  /** Our estimate, used when the worker reports no usage. */
  promptTokens: number;
  blockHashes: bigint[];
}

export interface TierGenerationOptions {
  maxPlacementAttempts: number;
  signal: AbortSignal;
  /** The step span's context: port calls run in it so their spans are its children. */
  ctx: Context;
  span: Span;
}

/**
 * Generates on one tier: place, then stream from the chosen worker, yielding
 * each piece of text as it arrives and returning the whole generation.
 *
 * A worker that fails before its first message has cost the client nothing
 * yet, so that instance is excluded and the generation placed again (up to
 * maxPlacementAttempts placements in all). Once text has flowed, a failure is
 * the request's: replaying elsewhere could contradict what was already seen.
 */
export async function* generateOnTier(
  ports: CascadePorts,
  req: TierGenerationRequest,
  opts: TierGenerationOptions,
): AsyncGenerator<string, Generation> {
  const { signal, ctx, span } = opts;
  const excludeInstanceIds: string[] = [];
  // A worker that refused for a full queue: if placing again then finds
  // nothing left to try, the tier is full, not down (429, not 503).
  let refusedFull: WeirError | undefined;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw abortError(signal);
    const placement = await context
      .with(ctx, () =>
        ports.place(
          {
            requestId: req.requestId,
            tier: req.tier,
            promptTokens: req.promptTokens,
            blockHashes: req.blockHashes,
            excludeInstanceIds,
          },
          signal,
        ),
      )
      .catch((err: unknown) => {
        if (refusedFull !== undefined && !signal.aborted && toWeirError(err).code === ErrorCode.UNAVAILABLE) throw refusedFull;
        throw err;
      });
    span.setAttributes({ [Attr.instanceId]: placement.instanceId, [Attr.placementAttempts]: attempt });
    const stream = context
      .with(ctx, () => ports.generate(placement, req.worker, signal))
      [Symbol.asyncIterator]();
    let started = false;
    let ended = false;
    const pieces: string[] = [];
    let tokenCount = 0;
    let finishReason = "";
    let usage: Usage | undefined;
    try {
      for (;;) {
        // next() runs in the step's context too: a lazy stream opens its call here.
        const next = await context.with(ctx, () => stream.next());
        if (next.done === true) {
          ended = true;
          break;
        }
        if (signal.aborted) throw abortError(signal);
        started = true;
        const msg = next.value;
        tokenCount += msg.tokenCount;
        if (msg.finishReason !== "") finishReason = msg.finishReason;
        if (msg.usage !== undefined) usage = msg.usage;
        if (msg.text !== "") {
          pieces.push(msg.text);
          yield msg.text;
        }
      }
      if (!started) {
        throw WeirError.unavailable(
          `worker ${placement.instanceId} of tier "${req.tier}" ended its stream without sending anything`,
        );
      }
    } catch (err) {
      if (signal.aborted) throw abortError(signal);
      const failure = toWeirError(err, "gateway");
      if (started || attempt >= opts.maxPlacementAttempts || !isInstanceFailure(failure)) throw failure;
      span.addEvent("weir.worker.failed", {
        [Attr.instanceId]: placement.instanceId,
        "exception.message": failure.message,
      });
      if (failure.code === ErrorCode.RESOURCE_EXHAUSTED) refusedFull = failure;
      excludeInstanceIds.push(placement.instanceId);
      continue;
    } finally {
      // Stop the worker when we leave early: an error here, or our consumer
      // stopped reading (client gone). A stream that ended needs nothing.
      if (!ended) await closeQuietly(stream);
    }
    return {
      placement,
      text: pieces.join(""),
      promptTokens: usage !== undefined && usage.promptTokens > 0 ? usage.promptTokens : req.promptTokens,
      completionTokens: usage !== undefined ? usage.completionTokens : tokenCount,
      cachedPromptTokens: usage !== undefined ? usage.cachedPromptTokens : placement.cachedPrefixTokens,
      finishReason: finishReason === "" ? "stop" : finishReason,
    };
  }
}

/**
 * Failures that another instance of the same tier may not have. A bad
 * request or a cancelled one would fail the same way anywhere.
 */
function isInstanceFailure(err: WeirError): boolean {
  switch (err.code) {
    case ErrorCode.UNAVAILABLE:
    case ErrorCode.RESOURCE_EXHAUSTED:
    case ErrorCode.INTERNAL:
    case ErrorCode.UNSPECIFIED:
      return true;
    default:
      return false;
  }
}

/** Ends an iterator we stop reading early, so its cleanup (finally) runs. */
export async function closeQuietly(stream: AsyncIterator<unknown>): Promise<void> {
  try {
    await stream.return?.();
  } catch {
    // The stream is being abandoned; its own error is not the request's.
  }
}
