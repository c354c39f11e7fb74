import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { headers } from "@nats-io/nats-core";
import type { Bus } from "./connect.js";
import { injectTraceHeaders } from "./trace-headers.js";

/**
 * Fire-and-forget publish of a protobuf message, with the active trace
 * context in its headers. While the bus is reconnecting nats.js buffers it;
 * a closed connection throws.
 */
export function publishProto<D extends DescMessage>(
  bus: Bus,
  subject: string,
  schema: D,
  msg: MessageInitShape<D>,
): void {
  const h = headers();
  injectTraceHeaders(h);
  bus.nc.publish(subject, toBinary(schema, create(schema, msg)), { headers: h });
}
