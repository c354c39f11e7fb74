import { defineConfig } from "vitest/config";

// The service tests run a real nats-server and start kv-cache-managers in
// process; on a loaded machine start-up and catch-up take seconds, not ms.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
