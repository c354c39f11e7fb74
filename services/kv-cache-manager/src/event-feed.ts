import { fromBinary } from "@bufbuild/protobuf";
import type { Consumer } from "@nats-io/jetstream";
import type { ApplyResult } from "@weir/kv-index";
import { type KvEvent, KvEventSchema } from "@weir/proto";
import type { Logger } from "@weir/runtime";
import type { IndexedStream } from "./indexed-stream.js";

const CATCH_UP_POLL_MS = 1_000;

export interface EventFeedHooks {
  /** An event was applied (or ignored as a per-instance duplicate). */
  onEvent?(event: KvEvent, result: ApplyResult): void;
  /** The feed delivered everything the stream held when it started: once. */
  onCaughtUp?(): void;
}

export interface EventFeed {
  /** The feed has delivered everything the stream held when it started. */
  readonly caughtUp: boolean;
  /** Stops pulling and waits for the event being applied. */
  stop(): Promise<void>;
}

/**
 * Pulls KV events from the durable consumer into the index, in stream order,
 * acknowledging each once applied. Waits while a snapshot holds the index
 * still. An event that cannot be decoded is logged, skipped and acknowledged:
 * redelivering it would not make it readable.
 */
export async function startEventFeed(
  consumer: Consumer,
  stream: IndexedStream,
  log: Logger,
  hooks: EventFeedHooks = {},
): Promise<EventFeed> {
  let caughtUp = false;
  const catchUp = (): void => {
    if (caughtUp) return;
    caughtUp = true;
    hooks.onCaughtUp?.();
  };
  const pendingAtStart = (await consumer.info()).num_pending;
  const messages = await consumer.consume({ max_messages: 256 });
  if (pendingAtStart === 0) catchUp();
  // Caught up is normally seen on a message (nothing pending after it); if
  // the events pending at start expired before delivery, no message says so:
  // ask the server now and then until caught up.
  const poll = setInterval(() => {
    if (caughtUp) return clearInterval(poll);
    consumer.info().then(
      (info) => {
        if (info.num_pending === 0 && info.num_ack_pending === 0) catchUp();
      },
      () => undefined,
    );
  }, CATCH_UP_POLL_MS);
  poll.unref();

  const running = (async () => {
    for await (const m of messages) {
      while (!stream.writable) await stream.opened();
      let event: KvEvent | undefined;
      try {
        event = fromBinary(KvEventSchema, m.data);
      } catch (err) {
        log.warn({ err, seq: m.seq }, "undecodable KV event skipped");
      }
      const result = stream.apply(m.seq, event);
      m.ack();
      if (event !== undefined && result !== "redelivered") hooks.onEvent?.(event, result);
      if (m.info.pending === 0) catchUp();
    }
  })();

  return {
    get caughtUp() {
      return caughtUp;
    },
    async stop() {
      clearInterval(poll);
      await messages.close();
      await running.catch((err: unknown) => log.warn({ err }, "KV event feed ended with an error"));
    },
  };
}
