import { create, fromBinary, toBinary, type DescMethod, type DescService, type Message } from "@bufbuild/protobuf";
import { headers, type Msg } from "@nats-io/nats-core";
import { SpanKind, context, trace } from "@opentelemetry/api";
import { WeirError } from "@weir/errors";
import type { Bus } from "./connect.js";
import { methodSubject, unaryMethods } from "./method-subject.js";
import { fromRequestFailure, fromServiceErrorReply, type Callee } from "./request-errors.js";
import { requestMux } from "./request-mux.js";
import type { ReplyOf, RequestInitOf, UnaryMethodName } from "./service-types.js";
import { injectTraceHeaders } from "./trace-headers.js";
import { busTracer, recordFailure, rpcAttributes } from "./tracing.js";

export interface CallOptions {
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  /** Aborting rejects the call at once with CANCELLED (a late reply is dropped). */
  signal?: AbortSignal;
}

export interface ServiceClientOptions {
  /** Per-call timeout (default 2000 ms). */
  timeoutMs?: number;
}

export type ServiceClient<S extends DescService> = {
  [K in UnaryMethodName<S>]: (req: RequestInitOf<S["method"][K]>, opts?: CallOptions) => Promise<ReplyOf<S["method"][K]>>;
};

const DEFAULT_TIMEOUT_MS = 2000;

/**
 * A typed client for a service served with serveService. Every failure is a
 * WeirError: no responders → UNAVAILABLE, timeout → DEADLINE_EXCEEDED, a
 * service error → the remote WeirError. While the bus is down calls fail at
 * once with UNAVAILABLE (nats.js would otherwise buffer them until it
 * reconnects or the timeout passes), and calls in flight when the
 * connection drops fail at that moment.
 */
export function createServiceClient<S extends DescService>(
  bus: Bus,
  service: S,
  subjectPrefix: string,
  opts: ServiceClientOptions = {},
): ServiceClient<S> {
  const client: Record<string, (req: unknown, callOpts?: CallOptions) => Promise<Message>> = {};
  for (const method of unaryMethods(service, `createServiceClient(${service.typeName})`)) {
    const subject = methodSubject(subjectPrefix, method);
    client[method.localName] = (req, callOpts = {}) =>
      call(bus, method, subject, req, callOpts.timeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, callOpts.signal);
  }
  return client as unknown as ServiceClient<S>;
}

async function call(
  bus: Bus,
  method: DescMethod,
  subject: string,
  req: unknown,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Message> {
  const callee: Callee = { service: method.parent.name, subject, timeoutMs };
  const span = busTracer().startSpan(subject, { kind: SpanKind.CLIENT, attributes: rpcAttributes(subject, method) });
  try {
    const payload = toBinary(method.input, create(method.input, req as Parameters<typeof create>[1]));
    const h = headers();
    injectTraceHeaders(h, trace.setSpan(context.active(), span));
    const reply = await requestMux(bus).request(subject, payload, h, callee, signal);
    const remote = fromServiceErrorReply(reply, callee);
    if (remote !== undefined) throw remote;
    return decodeReply(reply, method, callee);
  } catch (err) {
    const failure = fromRequestFailure(err, callee);
    recordFailure(span, failure, err);
    throw failure;
  } finally {
    span.end();
  }
}

function decodeReply(reply: Msg, method: DescMethod, callee: Callee): Message {
  try {
    return fromBinary(method.output, reply.data);
  } catch (err) {
    throw WeirError.internal(
      `${callee.service} answered on ${callee.subject} with bytes that are not a ${method.output.typeName}`,
      err,
    );
  }
}
