import { jetstreamManager } from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bus } from "./connect.js";
import { ensureStream } from "./ensure-stream.js";
import { KV_EVENTS_STREAM, Subjects } from "./subjects.js";
import { natsFixture, type NatsFixture } from "./test-support/nats.js";

describe("ensureStream", () => {
  let nats: NatsFixture;
  let bus: Bus;
  beforeAll(async () => {
    nats = await natsFixture({ jetstream: true });
    bus = await nats.connect("kv-index");
  });
  afterAll(() => nats.dispose());

  it("creates the stream, is idempotent, and updates subjects and limits", async () => {
    const spec = { name: KV_EVENTS_STREAM, subjects: [Subjects.kvEventsAll], maxAgeMs: 60_000 };
    await ensureStream(bus, spec);
    await ensureStream(bus, spec);
    const jsm = await jetstreamManager(bus.nc);
    let info = await jsm.streams.info(KV_EVENTS_STREAM);
    expect(info.config.subjects).toEqual(["weir.kv.events.>"]);
    expect(info.config.max_age).toBe(nanos(60_000));

    await ensureStream(bus, { ...spec, subjects: [Subjects.kvEventsAll, "test.more.>"], maxBytes: 1 << 20 });
    info = await jsm.streams.info(KV_EVENTS_STREAM);
    expect(info.config.subjects).toEqual(["weir.kv.events.>", "test.more.>"]);
    expect(info.config.max_bytes).toBe(1 << 20);
  });

  it("lets concurrent callers race to create the same stream", async () => {
    const spec = { name: "TEST_RACE", subjects: ["test.race.>"] };
    await Promise.all([ensureStream(bus, spec), ensureStream(bus, spec), ensureStream(bus, spec)]);
    const jsm = await jetstreamManager(bus.nc);
    expect((await jsm.streams.info("TEST_RACE")).config.subjects).toEqual(["test.race.>"]);
  });
});
