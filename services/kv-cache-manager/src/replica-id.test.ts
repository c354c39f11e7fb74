import { describe, expect, it } from "vitest";
import { consumerName, replicaId } from "./replica-id.js";

describe("replica id", () => {
  const host = { hostname: "node-7.cluster.local", pid: 4242 };

  it("is WEIR_REPLICA_ID when set, else hostname-pid", () => {
    expect(replicaId({ WEIR_REPLICA_ID: "kv-cache-manager-1" }, host)).toBe("kv-cache-manager-1");
    expect(replicaId({ WEIR_REPLICA_ID: "  " }, host)).toBe("node-7.cluster.local-4242");
    expect(replicaId({}, host)).toBe("node-7.cluster.local-4242");
  });

  it("becomes a consumer name NATS accepts", () => {
    expect(consumerName("node-7.cluster.local-4242")).toBe("kv-index-node-7_cluster_local-4242");
    expect(consumerName("a b/c*>d\\e")).toBe("kv-index-a_b_c__d_e");
  });
});
