import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import { type Bus, KV_EVENTS_STREAM, Subjects } from "@weir/bus";

/**
 * A replica's consumer left behind (its process gone for good, its id
 * `<hostname>-<pid>`) is deleted by the server after this long without a
 * client pulling from it.
 */
export const CONSUMER_INACTIVE_MS = 60 * 60 * 1000;

/** An event not acknowledged within this long is delivered again (applying it twice is harmless). */
const ACK_WAIT_MS = 30_000;

export interface DurableConsumerSpec {
  /** The durable's name (consumerName(replicaId)). */
  name: string;
  /** The first stream sequence to deliver: the restored index's position + 1. */
  startSequence: bigint;
  maxAckPending: number;
}

/**
 * (Re)creates this replica's durable pull consumer on WEIR_KV_EVENTS so that
 * it delivers from `startSequence`. A consumer's start position cannot be
 * changed by an update, and the position that matters is the restored
 * index's, not where the consumer stood before the restart: so an existing
 * one is deleted and created afresh.
 *
 * Explicit acks with a bounded max_ack_pending are the flow control: the
 * server has at most that many events out to a replica that applies slowly,
 * instead of filling its memory. The durable lives on the server, so it
 * survives client reconnects and nats-server restarts without a re-created
 * consumer, and its ack floor and pending count show each replica's progress
 * (`nats consumer info WEIR_KV_EVENTS <name>`).
 */
export async function recreateDurableConsumer(bus: Bus, spec: DurableConsumerSpec): Promise<Consumer> {
  const jsm = await jetstreamManager(bus.nc);
  try {
    await jsm.consumers.delete(KV_EVENTS_STREAM, spec.name);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
  }
  await jsm.consumers.add(KV_EVENTS_STREAM, {
    durable_name: spec.name,
    description: "kv-cache-manager replica: the prefix index's feed",
    filter_subject: Subjects.kvEventsAll,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ACK_WAIT_MS),
    max_ack_pending: spec.maxAckPending,
    inactive_threshold: nanos(CONSUMER_INACTIVE_MS),
    ...(spec.startSequence <= 1n
      ? { deliver_policy: DeliverPolicy.All }
      : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(spec.startSequence) }),
  });
  return jetstream(bus.nc).consumers.get(KV_EVENTS_STREAM, spec.name);
}
