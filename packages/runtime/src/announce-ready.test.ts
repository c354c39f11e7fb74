import { describe, expect, it, vi } from "vitest";
import { announceReady } from "./announce-ready.js";
import { createLogger } from "./logger.js";
import { capture } from "./test-support/capture.js";

describe("announceReady", () => {
  it("writes one WEIR_READY line with the service, pid and info", () => {
    const out = capture();
    const logger = createLogger("gateway", { destination: out.stream });
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    let calls: unknown[][];
    try {
      announceReady(logger, { httpPort: 8080, grpcPort: 8081 });
    } finally {
      calls = write.mock.calls.map((args) => [...args]); // mockRestore forgets the calls
      write.mockRestore();
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe(`WEIR_READY {"service":"gateway","pid":${process.pid},"httpPort":8080,"grpcPort":8081}\n`);
    expect(out.lines()[0]).toMatchObject({ msg: "ready", httpPort: 8080 });
  });
});
