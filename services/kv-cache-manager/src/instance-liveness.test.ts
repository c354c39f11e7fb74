import { create } from "@bufbuild/protobuf";
import { WorkerHeartbeatSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { type DropReason, InstanceLiveness } from "./instance-liveness.js";

function setup(tracked: string[]) {
  let clock = 0;
  const dropped: [string, DropReason][] = [];
  const live = new InstanceLiveness({
    timeoutMs: 3_000,
    now: () => clock,
    tracked: () => tracked,
    drop: (id, reason) => {
      dropped.push([id, reason]);
      const at = tracked.indexOf(id);
      if (at >= 0) tracked.splice(at, 1);
    },
  });
  const put = (id: string) => live.onPut(create(WorkerHeartbeatSchema, { instanceId: id, tier: "small" }));
  return { live, dropped, put, advance: (ms: number) => (clock += ms) };
}

describe("InstanceLiveness", () => {
  it("drops an instance removed from the directory at once", () => {
    const { live, dropped } = setup(["a", "b"]);
    live.onRemove("small", "a");
    expect(dropped).toEqual([["a", "removed"]]);
  });

  it("drops an instance whose last put is older than the timeout, keeps one that puts", () => {
    const { live, dropped, put, advance } = setup(["a", "b"]);
    put("a");
    put("b");
    live.onCaughtUp();
    for (let t = 0; t < 4; t++) {
      advance(1_000);
      put("b");
      live.sweep();
    }
    expect(dropped).toEqual([["a", "silent"]]);
    advance(2_999);
    live.sweep();
    expect(dropped).toEqual([["a", "silent"]]);
    advance(2);
    live.sweep();
    expect(dropped).toEqual([["a", "silent"], ["b", "silent"]]);
  });

  it("judges nothing before the directory's existing entries are in", () => {
    const { live, dropped, advance } = setup(["a"]);
    advance(60_000);
    live.sweep();
    expect(dropped).toEqual([]);
  });

  it("gives an instance the directory never mentioned one timeout of grace", () => {
    const { live, dropped, put, advance } = setup(["ghost", "late"]);
    live.onCaughtUp();
    live.sweep(); // first seen now
    advance(2_000);
    put("late"); // its first heartbeat arrives after its KV events
    advance(1_500);
    live.sweep();
    expect(dropped).toEqual([["ghost", "silent"]]);
  });
});
