import { defineConfig } from "vitest/config";

// Some tests run a real nats-server and start services in process; on a
// loaded machine start-up and catch-up take seconds, not milliseconds.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
