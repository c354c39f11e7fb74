import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import type { Bus } from "./connect.js";

/** nats-server JSStreamNameExistErr; @nats-io/jetstream has no constant for it. */
const STREAM_NAME_IN_USE = 10058;

export interface StreamSpec {
  name: string;
  subjects: string[];
  /** Drop messages older than this (default: keep). */
  maxAgeMs?: number;
  /** Drop the oldest messages beyond this many bytes (default: unlimited). */
  maxBytes?: number;
}

/**
 * Creates the JetStream stream, or brings an existing one to `spec`
 * (subjects and limits), so every service that needs it can call this at
 * start-up without ordering between them.
 */
export async function ensureStream(bus: Bus, spec: StreamSpec): Promise<void> {
  const jsm = await jetstreamManager(bus.nc);
  const config: Partial<StreamConfig> = {
    subjects: spec.subjects,
    max_age: nanos(spec.maxAgeMs ?? 0),
    max_bytes: spec.maxBytes ?? -1,
  };
  try {
    await jsm.streams.info(spec.name);
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
    try {
      await jsm.streams.add({ name: spec.name, ...config });
      return;
    } catch (addErr) {
      // Another service created it between info() and add(): fall through to update.
      if (!(addErr instanceof JetStreamApiError) || addErr.code !== STREAM_NAME_IN_USE) throw addErr;
    }
  }
  await jsm.streams.update(spec.name, config);
}

function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}
