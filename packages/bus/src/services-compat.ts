import type { Msg, MsgHdrs, NatsConnection } from "@nats-io/nats-core";
import { Svcm, type ServiceMsg } from "@nats-io/services";

/**
 * @nats-io/services 3.0.0-25 (the catalog version) is typed against its own
 * @nats-io/nats-core 3.0.0-50, while the connection comes from nats-core
 * 3.4.0: the runtime objects are the same shape, but TypeScript sees two
 * unrelated copies of NatsConnection and MsgHdrs (Match changed from an enum
 * to a string union). These two casts keep that mismatch in one place;
 * remove them once the services package depends on the same nats-core.
 */
type SvcmConnection = ConstructorParameters<typeof Svcm>[0];

export function servicesManager(nc: NatsConnection): Svcm {
  return new Svcm(nc as unknown as SvcmConnection);
}

/** The headers of a request delivered by our (nats-core 3.4.0) connection. */
export function requestHeaders(msg: ServiceMsg): MsgHdrs | undefined {
  return (msg as unknown as Msg).headers;
}
