import { defineConfig } from "vitest/config";

// The end-to-end suites each start a whole stack (NATS + seven processes):
// run the files one after another and give hooks room to boot it.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
