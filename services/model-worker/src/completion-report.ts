// Tells every scheduler replica what a finished generation produced
// (GenerationCompleted on weir.worker.completed.<tier>.<id>): the
// length-aware placement policy learns output lengths from it. Only
// generations that ran to their end count — a prefill-only warm-up or a
// cancelled stream says nothing about how long answers are. Core NATS,
// fire and forget: losing one while NATS is away costs an estimator a sample.

import { create, toBinary } from "@bufbuild/protobuf";
import { type Bus, Subjects } from "@weir/bus";
import { GenerationCompletedSchema } from "@weir/proto";

const FINISHED = new Set(["stop", "length"]);

export interface CompletionReporter {
  /** The last chunk of a generation: its finish reason and usage. */
  report(finishReason: string, usage: { promptTokens: number; completionTokens: number } | undefined): void;
}

export function completionReporter(bus: Bus, tier: string, instanceId: string): CompletionReporter {
  const subject = Subjects.generationCompleted(tier, instanceId);
  return {
    report(finishReason, usage) {
      if (!FINISHED.has(finishReason) || usage === undefined) return;
      try {
        bus.nc.publish(
          subject,
          toBinary(
            GenerationCompletedSchema,
            create(GenerationCompletedSchema, { tier, instanceId, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, finishReason }),
          ),
        );
      } catch {
        // A closed connection (draining): the sample is not worth an error.
      }
    },
  };
}
