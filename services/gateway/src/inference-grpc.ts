import type { Cascade } from "@weir/cascade";
import { WeirError } from "@weir/errors";
import { addService, type CallContext } from "@weir/grpc";
import { InferenceService, type GenerationInput, type ModelInfo } from "@weir/proto";
import type { Server } from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";

export interface InferenceDeps {
  cascade: Cascade;
  models: () => ModelInfo[];
  requestTimeoutMs: number;
}

function requireInput(input: GenerationInput | undefined): GenerationInput {
  if (!input) throw WeirError.invalidArgument("the request has no `input`: set input.model and input.messages or input.prompt", "input");
  return input;
}

/** The request's signal: the client's cancel or deadline, capped by the gateway's own timeout. */
function requestSignal(call: CallContext, timeoutMs: number): AbortSignal {
  return AbortSignal.any([call.signal, AbortSignal.timeout(timeoutMs)]);
}

/** The gRPC inference API: the same cascade as the HTTP API, in protobuf. */
export function addInferenceService(server: Server, deps: InferenceDeps): void {
  addService(server, InferenceService, {
    async generate(req, call) {
      const input = requireInput(req.input);
      const requestId = input.requestId || randomUUID();
      const signal = requestSignal(call, deps.requestTimeoutMs);
      for await (const event of deps.cascade.run(input, { signal, requestId, stream: false })) {
        if (event.type === "done") return event.response;
      }
      throw WeirError.internal("the cascade ended without an answer");
    },
    async *generateStream(req, call) {
      const input = requireInput(req.input);
      const requestId = input.requestId || randomUUID();
      const signal = requestSignal(call, deps.requestTimeoutMs);
      for await (const event of deps.cascade.run(input, { signal, requestId, stream: true })) {
        if (event.type === "delta") {
          yield { id: requestId, textDelta: event.text };
        } else {
          const r = event.response;
          yield {
            id: r.id,
            finishReason: r.finishReason,
            ...(r.usage ? { usage: r.usage } : {}),
            ...(r.cascade ? { cascade: r.cascade } : {}),
          };
        }
      }
    },
    listModels() {
      return { models: deps.models() };
    },
  });
}
