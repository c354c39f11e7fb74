import { describe, expect, it } from "vitest";
import { waitFor } from "./wait-for.js";

describe("waitFor", () => {
  it("resolves once the predicate holds, treating throws as not yet", async () => {
    let n = 0;
    await waitFor(
      () => {
        n++;
        if (n < 3) throw new Error("not up");
        return n >= 5;
      },
      { intervalMs: 1 },
    );
    expect(n).toBe(5);
  });

  it("rejects after the timeout with the description and the last error", async () => {
    await expect(
      waitFor(
        () => {
          throw new Error("connection refused");
        },
        { timeoutMs: 50, description: "router to answer" },
      ),
    ).rejects.toThrow("waitFor: router to answer not met within 50 ms; last error: connection refused");
  });
});
