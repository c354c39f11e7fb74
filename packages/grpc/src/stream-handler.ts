import type { EventEmitter } from "node:events";
import type * as grpc from "@grpc/grpc-js";
import { context } from "@opentelemetry/api";
import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { toWeirError, type WeirError } from "@weir/errors";
import { ServerCallContext, type CallContext } from "./call-context.js";
import { encode, UndecodableRequest } from "./codec.js";
import { statusOf } from "./status.js";
import { startServerSpan, type MethodTrace } from "./tracing.js";

export type StreamImpl<I extends DescMessage, O extends DescMessage> = (
  req: MessageShape<I>,
  ctx: CallContext,
) => AsyncIterable<MessageInitShape<O>>;

type Request<I extends DescMessage> = MessageShape<I> | UndecodableRequest;
type Call<I extends DescMessage> = grpc.ServerWritableStream<Request<I>, Buffer>;

/** The grpc-js handler of one server-streaming method: span, context, backpressure, error mapping. */
export function streamHandler<I extends DescMessage, O extends DescMessage>(
  input: I,
  output: O,
  impl: StreamImpl<I, O>,
  t: MethodTrace,
): grpc.handleServerStreamingCall<Request<I>, Buffer> {
  return (call) => {
    const { span, ctx } = startServerSpan(t, call.metadata);
    const callCtx = new ServerCallContext(call, span);
    void context.with(ctx, run, undefined, call, callCtx, input, output, impl);
  };
}

// Never rejects: every failure becomes the call's status.
async function run<I extends DescMessage, O extends DescMessage>(
  call: Call<I>,
  ctx: ServerCallContext,
  input: I,
  output: O,
  impl: StreamImpl<I, O>,
): Promise<void> {
  const req = call.request;
  let iterator: AsyncIterator<MessageInitShape<O>> | undefined;
  let failure: WeirError | undefined;
  try {
    if (req instanceof UndecodableRequest) throw req.toError(input);
    iterator = impl(req, ctx)[Symbol.asyncIterator]();
    while (!ctx.signal.aborted) {
      const next = await iterator.next();
      if (next.done === true) {
        iterator = undefined;
        break;
      }
      if (ctx.signal.aborted) break;
      // write() returns false once the call's buffer is full (the client's HTTP/2
      // window is closed): wait for it to read rather than hold the whole answer.
      if (!call.write(encode(output, next.value))) await drained(call, ctx.signal);
    }
  } catch (err) {
    failure = toWeirError(err);
  }
  // Stopped early (cancelled, or an item failed to encode): let the producer's
  // finally blocks run, so it releases what it holds (engine slots, timers).
  if (iterator?.return !== undefined) {
    try {
      await iterator.return();
    } catch {
      // The call is already ending; its status is decided.
    }
  }
  // grpc-js turns an 'error' event into the call's status and trailers.
  if (failure !== undefined) call.emit("error", statusOf(failure));
  else if (!ctx.signal.aborted) call.end();
  ctx.close(failure);
}

/** Resolves on 'drain', or when the call is cancelled (no 'drain' comes then). */
function drained(call: EventEmitter, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    call.on("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
