import { create, fromBinary, toBinary, type DescMethod, type DescService, type Message } from "@bufbuild/protobuf";
import type { MsgHdrs } from "@nats-io/nats-core";
import type { ServiceMsg } from "@nats-io/services";
import { SpanKind, context, trace, type Span } from "@opentelemetry/api";
import { WeirError, encodeErrorInfo, httpStatusOf, toWeirError } from "@weir/errors";
import type { Bus } from "./connect.js";
import { endpointName, methodSubject, unaryMethods } from "./method-subject.js";
import { requestHeaders, servicesManager } from "./services-compat.js";
import type { ReplyInitOf, RequestOf, UnaryMethodName } from "./service-types.js";
import { extractTraceContext } from "./trace-headers.js";
import { busTracer, recordFailure, rpcAttributes } from "./tracing.js";

export interface HandlerContext {
  /** The subject the request arrived on. */
  subject: string;
  headers?: MsgHdrs;
  /** The SERVER span of this request (also the active span), parented from the request headers. */
  span: Span;
}

export type ServiceHandlers<S extends DescService> = {
  [K in UnaryMethodName<S>]: (
    req: RequestOf<S["method"][K]>,
    ctx: HandlerContext,
  ) => ReplyInitOf<S["method"][K]> | Promise<ReplyInitOf<S["method"][K]>>;
};

export interface ServiceDefinition<S extends DescService> {
  /** The $SRV name, e.g. "weir-router". */
  name: string;
  /** Semver, shown by $SRV.INFO. */
  version: string;
  description?: string;
  /** Methods are served on `${subjectPrefix}.${lowerFirst(method.name)}`, e.g. ServicePrefix.router. */
  subjectPrefix: string;
  service: S;
  handlers: ServiceHandlers<S>;
  /** Queue group; default the service name ("weir-router"), "weir-"-prefixed when it lacks it. */
  queue?: string;
}

export interface ServedService {
  /** Stops taking requests, then waits for the requests in flight to be answered. */
  stop(): Promise<void>;
}

type AnyHandler = (req: Message, ctx: HandlerContext) => unknown;

/**
 * Serves every method of a protobuf-es service as an endpoint of a
 * @nats-io/services service: queue group, $SRV.PING/INFO/STATS discovery.
 * The framework does not catch async rejections, so every request runs
 * through `answer`, which turns any failure into a service error reply
 * carrying the WeirError as ErrorInfo.
 */
export async function serveService<S extends DescService>(
  bus: Bus,
  def: ServiceDefinition<S>,
): Promise<ServedService> {
  const methods = unaryMethods(def.service, `serveService(${def.name})`);
  const handlers = def.handlers as unknown as Record<string, AnyHandler | undefined>;
  const bound = methods.map((method) => {
    const handler = handlers[method.localName];
    if (typeof handler !== "function") {
      throw new Error(`serveService(${def.name}): no handler for ${def.service.typeName}/${method.name} (handlers.${method.localName})`);
    }
    return { method, handler };
  });

  const service = await servicesManager(bus.nc).add({
    name: def.name,
    version: def.version,
    description: def.description ?? "",
    queue: def.queue ?? (def.name.startsWith("weir-") ? def.name : `weir-${def.name}`),
    metadata: { "rpc.service": def.service.typeName },
  });

  const inFlight = new Set<Promise<void>>();
  for (const { method, handler } of bound) {
    const subject = methodSubject(def.subjectPrefix, method);
    service.addEndpoint(endpointName(method), {
      subject,
      metadata: { "rpc.method": method.name, request: method.input.typeName, reply: method.output.typeName },
      handler: (_err, msg) => {
        // _err is always null here: the framework stops the service itself on subscription errors.
        const done = answer(msg, method, handler, def.name);
        inFlight.add(done);
        void done.finally(() => inFlight.delete(done));
      },
    });
  }

  return {
    async stop() {
      await service.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Decodes, runs the handler in a SERVER span, and replies; never rejects. */
async function answer(msg: ServiceMsg, method: DescMethod, handler: AnyHandler, serviceName: string): Promise<void> {
  const headers = requestHeaders(msg);
  const parent = extractTraceContext(headers);
  const span = busTracer().startSpan(
    msg.subject,
    { kind: SpanKind.SERVER, attributes: rpcAttributes(msg.subject, method) },
    parent,
  );
  try {
    const req = decodeRequest(msg.data, method);
    const ctx: HandlerContext =
      headers === undefined ? { subject: msg.subject, span } : { subject: msg.subject, headers, span };
    const out = await context.with(trace.setSpan(parent, span), () => handler(req, ctx));
    msg.respond(toBinary(method.output, create(method.output, out as Parameters<typeof create>[1])));
  } catch (err) {
    const failure = withService(toWeirError(err, serviceName), serviceName);
    recordFailure(span, failure, err);
    try {
      // Header values cannot hold line breaks; the full message is in the ErrorInfo payload.
      const description = failure.message.replace(/[\r\n]+/g, " ");
      msg.respondError(httpStatusOf(failure.code), description, encodeErrorInfo(failure));
    } catch {
      // The connection closed under us: the caller sees UNAVAILABLE or a timeout.
    }
  } finally {
    span.end();
  }
}

function decodeRequest(data: Uint8Array, method: DescMethod): Message {
  try {
    return fromBinary(method.input, data);
  } catch (err) {
    throw WeirError.invalidArgument(
      `the request to ${method.parent.typeName}/${method.name} is not a valid ${method.input.typeName}: ` +
        `${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Names the service that raised an error when the handler did not. */
function withService(err: WeirError, service: string): WeirError {
  if (err.service !== undefined) return err;
  return new WeirError(err.code, err.message, {
    service,
    cause: err,
    ...(err.field === undefined ? {} : { field: err.field }),
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
  });
}
