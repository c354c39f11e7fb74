import { describe, expect, it } from "vitest";
import type { RowLabels } from "./live-record.js";
import { replayOpenLoop } from "./replay-open-loop.js";
import type { ChatOutcome } from "./sse-chat.js";

const LABELS: RowLabels = [{ small: { answer: "a", correct: true } }, { small: { answer: "b", correct: false } }];

describe("replayOpenLoop", () => {
  it("sends on schedule without waiting for earlier answers, and records every request in order", async () => {
    const sent: number[] = [];
    const t0 = Date.now();
    const send = async (_url: string, messages: readonly { content: string }[]): Promise<ChatOutcome> => {
      sent.push(Date.now() - t0);
      // The first answer takes far longer than the gap to the next send.
      await new Promise((r) => setTimeout(r, messages[0]!.content === "first" ? 150 : 5));
      const row = messages[0]!.content === "first" ? "a" : "b";
      return { status: 200, endMs: 5, text: row, tier: "small", completionTokens: 1 };
    };
    const records = await replayOpenLoop(
      "http://unused",
      [
        { arrivalMs: 0, row: 0, messages: [{ role: "user", content: "first" }] },
        { arrivalMs: 400, row: 1, messages: [{ role: "user", content: "second" }] },
      ],
      { speedup: 10, deadlineMs: 1000, labels: LABELS, send },
    );
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(35);
    expect(sent[1]! - sent[0]!).toBeLessThan(140); // not after the first answer (150 ms)
    expect(records.map((r) => [r.index, r.plannedSendMs, r.correct, r.replayed])).toEqual([
      [0, 0, true, true],
      [1, 40, false, true],
    ]);
  });
});
