import { fromBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { MsgHdrs } from "@nats-io/nats-core";
import { context } from "@opentelemetry/api";
import { ErrorCode, WeirError } from "@weir/errors";
import type { Bus } from "./connect.js";
import { extractTraceContext } from "./trace-headers.js";

export interface MessageContext {
  subject: string;
  headers?: MsgHdrs;
}

export interface SubscribeOptions {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
  /**
   * Told about every message that could not be decoded and every handler
   * failure (sync throw or rejection). Without it failures are dropped: a
   * bad message must never take the process down.
   */
  onError?: (err: unknown, ctx: MessageContext) => void;
}

export interface ProtoSubscription {
  unsubscribe(): void;
}

/**
 * Subscribes to protobuf messages. The handler runs inside the publisher's
 * trace context (extracted from the headers) so spans it starts join the
 * publisher's trace; no span is created per message, since heartbeats and
 * KV events are too frequent to trace one by one.
 */
export function subscribeProto<D extends DescMessage>(
  bus: Bus,
  subject: string,
  schema: D,
  handler: (msg: MessageShape<D>, ctx: MessageContext) => void | Promise<void>,
  opts: SubscribeOptions = {},
): ProtoSubscription {
  const report = (err: unknown, ctx: MessageContext): void => {
    try {
      opts.onError?.(err, ctx);
    } catch {
      // An onError that throws must not crash the subscription either.
    }
  };
  const sub = bus.nc.subscribe(subject, {
    ...(opts.queue === undefined ? {} : { queue: opts.queue }),
    callback: (err, msg) => {
      if (err !== null) {
        report(err, { subject });
        return;
      }
      const ctx: MessageContext =
        msg.headers === undefined ? { subject: msg.subject } : { subject: msg.subject, headers: msg.headers };
      let decoded: MessageShape<D>;
      try {
        decoded = fromBinary(schema, msg.data);
      } catch (cause) {
        const message = `a message on ${msg.subject} is not a valid ${schema.typeName}`;
        report(new WeirError(ErrorCode.INVALID_ARGUMENT, message, { cause }), ctx);
        return;
      }
      try {
        const result = context.with(extractTraceContext(msg.headers), () => handler(decoded, ctx));
        if (result instanceof Promise) result.catch((e: unknown) => report(e, ctx));
      } catch (e) {
        report(e, ctx);
      }
    },
  });
  return { unsubscribe: () => sub.unsubscribe() };
}
