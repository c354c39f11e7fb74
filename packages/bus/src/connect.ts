import type { ConnectionOptions, NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { WeirError } from "@weir/errors";

export type BusStatus = "connected" | "disconnected" | "reconnected" | "closed";

export interface Bus {
  /** The raw connection, for JetStream / KV users. */
  nc: NatsConnection;
  /** False while disconnected, reconnecting, draining or closed. */
  isConnected(): boolean;
  /**
   * Calls `fn` at once with the current state ("connected", "disconnected" or
   * "closed"), then on every change. Returns a function that removes it.
   */
  onStatus(fn: (s: BusStatus) => void): () => void;
  /** Graceful: stop taking messages, finish in-flight ones, then close. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectBusOptions {
  /** The client name shown by the server's monitoring (e.g. the service name). */
  name: string;
  /** One URL or several, comma-separated; default env NATS_URL ?? nats://127.0.0.1:4222. */
  url?: string;
  /**
   * Give up on the first connection after this long (UNAVAILABLE). Default:
   * keep trying, so a service can start before NATS.
   */
  connectTimeoutMs?: number;
}

const DEFAULT_URL = "nats://127.0.0.1:4222";
/** Wait between connection attempts: short, so a NATS restart costs little. */
const RETRY_MS = 250;

/**
 * Connects to NATS and never gives up: reconnects forever with a short wait,
 * so a NATS restart costs a fraction of a second, not a service restart.
 * Status is tracked from nc.status() so callers can fail fast while the
 * connection is down instead of buffering requests until it returns.
 */
export async function connectBus(opts: ConnectBusOptions): Promise<Bus> {
  const url = opts.url ?? process.env["NATS_URL"] ?? DEFAULT_URL;
  const base: ConnectionOptions = {
    servers: url.split(",").map((s) => s.trim()).filter((s) => s !== ""),
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: RETRY_MS,
    reconnectJitter: 100,
    // nats.js otherwise builds an Error (with a stack trace) for every request
    // up front, in case it fails: measurable CPU on the request path. Our
    // errors are WeirErrors with their own sentences anyway.
    noAsyncTraces: true,
  };
  const nc =
    opts.connectTimeoutMs === undefined
      ? await connect({ ...base, waitOnFirstConnect: true })
      : await connectBefore(base, url, opts.connectTimeoutMs);
  return trackStatus(nc);
}

/**
 * Bounded first connection. waitOnFirstConnect cannot be cancelled (it would
 * keep dialling in the background after we gave up), so dial single attempts
 * until the deadline instead.
 */
async function connectBefore(base: ConnectionOptions, url: string, timeoutMs: number): Promise<NatsConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    try {
      return await connect({ ...base, waitOnFirstConnect: false, timeout: Math.max(1, left) });
    } catch (err) {
      if (deadline - Date.now() <= RETRY_MS) {
        throw WeirError.unavailable(
          `could not connect to NATS at ${url} within ${timeoutMs} ms: is nats-server running there?`,
          err,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

function trackStatus(nc: NatsConnection): Bus {
  let connected = true;
  let closed = false;
  const listeners = new Set<(s: BusStatus) => void>();
  const emit = (s: BusStatus): void => {
    for (const fn of listeners) {
      try {
        fn(s);
      } catch {
        // A listener's bug must not stop status tracking for the others.
      }
    }
  };

  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect" && connected) {
        connected = false;
        emit("disconnected");
      } else if (s.type === "reconnect") {
        connected = true;
        emit("reconnected");
      }
    }
  })().catch(() => undefined);
  void nc.closed().then(() => {
    connected = false;
    closed = true;
    emit("closed");
  });

  return {
    nc,
    isConnected: () => connected && !nc.isClosed() && !nc.isDraining(),
    onStatus(fn) {
      listeners.add(fn);
      fn(closed ? "closed" : connected ? "connected" : "disconnected");
      return () => {
        listeners.delete(fn);
      };
    },
    drain: () => (nc.isClosed() || nc.isDraining() ? nc.closed().then(() => undefined) : nc.drain()),
    close: () => nc.close(),
  };
}
