// Test support: a Cascade that plays a script instead of calling services,
// and records what it was asked and whether its signal aborted.
import { create } from "@bufbuild/protobuf";
import { trace } from "@opentelemetry/api";
import type { Cascade, CascadeEvent } from "@weir/cascade";
import { WeirError } from "@weir/errors";
import { GenerateResponseSchema, type GenerateResponse, type GenerationInput } from "@weir/proto";

export interface CascadeScript {
  /** Deltas to emit, all from `tier`. */
  deltas?: string[];
  tier?: string;
  /** Changes to the done response (text defaults to the joined deltas). */
  patch?: (response: GenerateResponse) => void;
  /** Thrown before anything is emitted. */
  errorBefore?: WeirError;
  /** Thrown after the deltas, instead of done. */
  errorAfter?: WeirError;
  /** After the deltas, wait until the signal aborts (then end as the cascade does). */
  stall?: boolean;
  /** With stall: ignore the signal and never end (a misbehaving dependency). */
  ignoreSignal?: boolean;
}

export interface CascadeRecord {
  input: GenerationInput;
  requestId: string;
  signal: AbortSignal;
  activeSpanId: string | undefined;
  activeTraceId: string | undefined;
  finished: boolean;
}

export function fakeCascade(script: CascadeScript = {}): Cascade & { runs: CascadeRecord[] } {
  const runs: CascadeRecord[] = [];
  return {
    runs,
    async *run(input, { signal, requestId }): AsyncGenerator<CascadeEvent, void, undefined> {
      const sc = trace.getActiveSpan()?.spanContext();
      const record: CascadeRecord = {
        input,
        requestId,
        signal,
        activeSpanId: sc?.spanId,
        activeTraceId: sc?.traceId,
        finished: false,
      };
      runs.push(record);
      try {
        if (script.errorBefore !== undefined) throw script.errorBefore;
        const tier = script.tier ?? "small";
        const deltas = script.deltas ?? ["Hello", " world"];
        for (const text of deltas) yield { type: "delta", text, tier };
        if (script.stall === true) {
          await new Promise<void>((resolve) => {
            if (script.ignoreSignal === true) return;
            signal.addEventListener("abort", () => resolve(), { once: true });
          });
          throw signal.reason instanceof WeirError ? signal.reason : WeirError.cancelled("client went away");
        }
        if (script.errorAfter !== undefined) throw script.errorAfter;
        const response = create(GenerateResponseSchema, {
          id: requestId,
          model: input.model,
          text: deltas.join(""),
          finishReason: "stop",
          usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15, cachedPromptTokens: 8 },
          cascade: {
            tier: "large",
            path: [
              { tier: "small", instanceId: "s1", qeScore: 0.2, qeThreshold: 0.5, accepted: false, costUsd: 0.0001 },
              { tier: "large", instanceId: "l1", qeThreshold: 0, accepted: true, costUsd: 0.002 },
            ],
            escalated: true,
            costUsd: 0.0021,
            routeReason: "static ladder",
          },
        });
        script.patch?.(response);
        yield { type: "done", response };
      } finally {
        record.finished = true;
      }
    },
  };
}
