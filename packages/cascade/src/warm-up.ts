import { context, type Context, type Span } from "@opentelemetry/api";
import { toWeirError } from "@weir/errors";
import type { ChatMessage } from "@weir/proto";
import { Attr } from "@weir/telemetry/semconv";
import type { CascadePorts } from "./ports.js";

/** What became of one escalation warm-up, as the cascade saw it. */
export interface WarmUpReport {
  /** The tier asked to prefill (the next rung's). */
  tier: string;
  /**
   * started: an instance of the tier is prefilling the prompt; skipped: the
   * kv-cache-manager declined (already cached, budget spent, no idle
   * instance); failed: the call itself failed (nobody answers, timeout).
   */
  outcome: "started" | "skipped" | "failed";
  /** The kv-cache-manager's reason, or the failure's message. */
  reason: string;
  /** The instance warmed (or found warm), when the answer names one. */
  instanceId?: string;
}

export interface WarmUpRequest {
  requestId: string;
  /** The tier of the rung to warm. */
  tier: string;
  messages: readonly ChatMessage[];
  prompt: string;
  promptTokens: number;
  blockHashes: bigint[];
}

export interface WarmUpOptions {
  signal: AbortSignal;
  /** The run's context, so the warm call's span is part of the request's trace. */
  ctx: Context;
  /** The run span: the report becomes an event on it while it is still open. */
  span: Span;
  onReport?: ((report: WarmUpReport) => void) | undefined;
}

/**
 * Asks the kv-cache-manager to prefill the next rung's tier, and returns at
 * once: the cascade never waits for a warm-up, and a warm-up never fails a
 * request. Its outcome is an event on the run span ("weir.warmup") and a
 * report to `onReport` (the gateway counts them). Does nothing when the
 * ports have no warm call (a deployment without a kv-cache-manager).
 */
export function fireWarmUp(ports: CascadePorts, req: WarmUpRequest, opts: WarmUpOptions): void {
  const warm = ports.warm;
  if (warm === undefined) return;
  const report = (r: WarmUpReport): void => {
    if (opts.span.isRecording()) {
      opts.span.addEvent(r.outcome === "failed" ? "weir.warmup.failed" : "weir.warmup", {
        [Attr.tier]: r.tier,
        ...(r.instanceId === undefined ? {} : { [Attr.instanceId]: r.instanceId }),
        "weir.warmup.outcome": r.outcome,
        [r.outcome === "failed" ? "exception.message" : "weir.warmup.reason"]: r.reason,
      });
    }
    try {
      opts.onReport?.(r);
    } catch {
      // A failing listener must not turn into an unhandled rejection.
    }
  };
  let pending: Promise<void>;
  try {
    pending = context
      .with(opts.ctx, () =>
        warm.call(
          ports,
          {
            requestId: req.requestId,
            tier: req.tier,
            messages: [...req.messages],
            prompt: req.prompt,
            promptTokens: req.promptTokens,
            blockHashes: req.blockHashes,
          },
          opts.signal,
        ),
      )
      .then((res) =>
        report({
          tier: req.tier,
          outcome: res.started ? "started" : "skipped",
          reason: res.reason,
          ...(res.instanceId === "" ? {} : { instanceId: res.instanceId }),
        }),
      );
  } catch (err) {
    // A port that throws synchronously is a failed warm-up too.
    pending = Promise.reject(err);
  }
  pending.catch((err: unknown) => report({ tier: req.tier, outcome: "failed", reason: toWeirError(err, "gateway").message }));
}
