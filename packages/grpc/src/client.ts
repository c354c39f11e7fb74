import * as grpc from "@grpc/grpc-js";
import { context } from "@opentelemetry/api";
import type { DescMessage, DescMethod, DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { WeirError, toWeirError } from "@weir/errors";
import { methodPath } from "./method-path.js";
import { decoder, encoder } from "./codec.js";
import { errorFromStatus, type CallSite } from "./status.js";
import { endSpan, methodTrace, startClientSpan, type MethodTrace } from "./tracing.js";

export interface CallOptions {
  /** Time the whole call (every message of a stream) may take. */
  deadlineMs?: number | undefined;
  /** Aborting cancels the call; it then fails with CANCELLED. */
  signal?: AbortSignal | undefined;
}

export interface ClientOptions {
  channelOptions?: grpc.ChannelOptions | undefined;
}

export type UnaryCall<I extends DescMessage, O extends DescMessage> = (
  req: MessageInitShape<I>,
  opts?: CallOptions,
) => Promise<MessageShape<O>>;

export type StreamCall<I extends DescMessage, O extends DescMessage> = (
  req: MessageInitShape<I>,
  opts?: CallOptions,
) => AsyncIterable<MessageShape<O>>;

/** The client function of one method, from its descriptor. */
export type MethodCall<M> = M extends { methodKind: "unary"; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? UnaryCall<I, O>
  : M extends { methodKind: "server_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? StreamCall<I, O>
    : never;

/** One function per method (by localName), and close(). Every failure is a WeirError. */
export type Client<S extends DescService> = { [K in keyof S["method"]]: MethodCall<S["method"][K]> } & {
  close(): void;
};

/** How one method is called: built once per client, shared by its calls. */
interface Method<I extends DescMessage, O extends DescMessage> {
  readonly path: string;
  readonly serialize: (init: MessageInitShape<I>) => Buffer;
  readonly deserialize: (bytes: Buffer) => MessageShape<O>;
  readonly trace: MethodTrace;
  readonly site: CallSite;
}

/**
 * A client for `service` at `address` (host:port, no TLS). Calls carry the
 * active trace context as traceparent, each under a CLIENT span.
 */
export function createClient<S extends DescService>(service: S, address: string, opts: ClientOptions = {}): Client<S> {
  const channel = new grpc.Client(address, grpc.credentials.createInsecure(), opts.channelOptions);
  const client: Record<string, unknown> = { close: () => channel.close() };
  for (const method of service.methods) {
    const m = describe(service, method, address);
    switch (method.methodKind) {
      case "unary":
        client[method.localName] = (req: MessageInitShape<DescMessage>, callOpts?: CallOptions) =>
          callUnary(channel, m, req, callOpts);
        break;
      case "server_streaming":
        client[method.localName] = (req: MessageInitShape<DescMessage>, callOpts?: CallOptions) =>
          callStream(channel, m, req, callOpts);
        break;
      default:
        throw new TypeError(
          `createClient(${service.typeName}): ${method.name} is ${method.methodKind}; only unary and server_streaming methods are supported`,
        );
    }
  }
  return client as Client<S>;
}

function describe(service: DescService, method: DescMethod, address: string): Method<DescMessage, DescMessage> {
  return {
    path: methodPath(service, method),
    serialize: encoder(method.input),
    deserialize: decoder(method.output),
    trace: methodTrace(service, method),
    site: { service: service.typeName, method: method.name, address },
  };
}

function callOptionsOf(opts: CallOptions | undefined): grpc.CallOptions {
  return opts?.deadlineMs === undefined ? {} : { deadline: Date.now() + opts.deadlineMs };
}

function cancelledBeforeStart(m: Method<DescMessage, DescMessage>): WeirError {
  return WeirError.cancelled(`call to ${m.site.service}/${m.site.method} at ${m.site.address} was cancelled before it started`);
}

function callUnary<I extends DescMessage, O extends DescMessage>(
  channel: grpc.Client,
  m: Method<I, O>,
  req: MessageInitShape<I>,
  opts: CallOptions | undefined,
): Promise<MessageShape<O>> {
  const signal = opts?.signal;
  if (signal?.aborted === true) return Promise.reject(cancelledBeforeStart(m));
  return new Promise((resolve, reject) => {
    const metadata = new grpc.Metadata();
    const span = startClientSpan(m.trace, context.active(), metadata);
    const done: grpc.requestCallback<MessageShape<O>> = (err, answer) => {
      signal?.removeEventListener("abort", onAbort);
      if (err !== null) {
        const failure = errorFromStatus(err, m.site, opts);
        endSpan(span, "client", err.code, failure);
        reject(failure);
      } else if (answer === undefined) {
        const failure = WeirError.internal(`${m.site.service}/${m.site.method} at ${m.site.address} answered without a message`);
        endSpan(span, "client", grpc.status.INTERNAL, failure);
        reject(failure);
      } else {
        endSpan(span, "client", grpc.status.OK);
        resolve(answer);
      }
    };
    let call: grpc.ClientUnaryCall;
    try {
      call = channel.makeUnaryRequest(m.path, m.serialize, m.deserialize, req, metadata, callOptionsOf(opts), done);
    } catch (err) {
      const failure = notStarted(m, err);
      endSpan(span, "client", grpc.status.UNAVAILABLE, failure);
      reject(failure);
      return;
    }
    const onAbort = (): void => call.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Yields the answer's messages as they arrive (the stream's own buffer gives
 * backpressure). Stopping early (break, return, throw in the loop body)
 * cancels the call, so the server stops producing.
 */
async function* callStream<I extends DescMessage, O extends DescMessage>(
  channel: grpc.Client,
  m: Method<I, O>,
  req: MessageInitShape<I>,
  opts: CallOptions | undefined,
): AsyncGenerator<MessageShape<O>, void, undefined> {
  const signal = opts?.signal;
  if (signal?.aborted === true) throw cancelledBeforeStart(m);
  const metadata = new grpc.Metadata();
  const span = startClientSpan(m.trace, context.active(), metadata);
  let call: grpc.ClientReadableStream<MessageShape<O>>;
  try {
    call = channel.makeServerStreamRequest(m.path, m.serialize, m.deserialize, req, metadata, callOptionsOf(opts));
  } catch (err) {
    const failure = notStarted(m, err);
    endSpan(span, "client", grpc.status.UNAVAILABLE, failure);
    throw failure;
  }
  // grpc-js emits the final status as 'error' even after the iterator below
  // has let go (e.g. after our own cancel): without a listener that would throw.
  call.on("error", ignore);
  const onAbort = (): void => call.cancel();
  signal?.addEventListener("abort", onAbort, { once: true });
  let code: number = grpc.status.CANCELLED; // unless it ends below, the consumer stopped early
  let failure: WeirError | undefined;
  try {
    for await (const message of call as AsyncIterable<MessageShape<O>>) yield message;
    code = grpc.status.OK;
  } catch (err) {
    if (isServiceError(err)) {
      code = err.code;
      failure = errorFromStatus(err, m.site, opts);
    } else {
      code = grpc.status.INTERNAL;
      failure = toWeirError(err);
    }
    throw failure;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (code === grpc.status.CANCELLED && failure === undefined) call.cancel();
    endSpan(span, "client", code, failure);
  }
}

/** grpc-js throws at call creation once the client is closed. */
function notStarted(m: Method<DescMessage, DescMessage>, err: unknown): WeirError {
  const reason = err instanceof Error ? err.message : String(err);
  return WeirError.unavailable(`cannot call ${m.site.service}/${m.site.method} at ${m.site.address}: ${reason}`, err);
}

function ignore(): void {}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return err instanceof Error && typeof (err as Partial<grpc.ServiceError>).code === "number" && "details" in err;
}
