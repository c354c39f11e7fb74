import type * as grpc from "@grpc/grpc-js";
import { context } from "@opentelemetry/api";
import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { toWeirError, type WeirError } from "@weir/errors";
import { ServerCallContext, type CallContext } from "./call-context.js";
import { encode, UndecodableRequest } from "./codec.js";
import { statusOf } from "./status.js";
import { startServerSpan, type MethodTrace } from "./tracing.js";

export type UnaryImpl<I extends DescMessage, O extends DescMessage> = (
  req: MessageShape<I>,
  ctx: CallContext,
) => Promise<MessageInitShape<O>> | MessageInitShape<O>;

type Request<I extends DescMessage> = MessageShape<I> | UndecodableRequest;

/** The grpc-js handler of one unary method: span, context, error mapping. */
export function unaryHandler<I extends DescMessage, O extends DescMessage>(
  input: I,
  output: O,
  impl: UnaryImpl<I, O>,
  t: MethodTrace,
): grpc.handleUnaryCall<Request<I>, Buffer> {
  return (call, callback) => {
    const { span, ctx } = startServerSpan(t, call.metadata);
    const callCtx = new ServerCallContext(call, span);
    void context.with(ctx, run, undefined, call.request, callback, callCtx, input, output, impl);
  };
}

// Never rejects: every failure becomes the call's status.
async function run<I extends DescMessage, O extends DescMessage>(
  req: Request<I>,
  callback: grpc.sendUnaryData<Buffer>,
  ctx: ServerCallContext,
  input: I,
  output: O,
  impl: UnaryImpl<I, O>,
): Promise<void> {
  let failure: WeirError | undefined;
  try {
    if (req instanceof UndecodableRequest) throw req.toError(input);
    // Encoded here rather than by grpc-js, so an unencodable answer is a Weir INTERNAL too.
    const answer = encode(output, await impl(req, ctx));
    callback(null, answer);
  } catch (err) {
    failure = toWeirError(err);
    callback(statusOf(failure));
  }
  ctx.close(failure);
}
