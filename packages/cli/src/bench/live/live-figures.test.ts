import { describe, expect, it } from "vitest";
import { errorKind, liveFigures } from "./live-figures.js";
import { type LiveRecord, type RowLabels, gradeRecord, toServed } from "./live-record.js";
import type { ChatOutcome } from "./sse-chat.js";

const LABELS: RowLabels = [
  { small: { answer: "s0", correct: false }, large: { answer: "l0", correct: true } },
  { small: { answer: "s1", correct: true }, large: { answer: "l1", correct: true } },
];

function record(index: number, row: number, sentMs: number, outcome: Partial<ChatOutcome>): LiveRecord {
  return gradeRecord({ index, row, plannedSendMs: sentMs, sentMs, outcome: { status: 200, endMs: 0, text: "", ...outcome } }, LABELS);
}

const ok = (tier: string, text: string, extra: Partial<ChatOutcome> = {}): Partial<ChatOutcome> => ({
  tier,
  text,
  path: [tier],
  escalated: false,
  firstTokenMs: 10,
  lastTokenMs: 30,
  endMs: 40,
  completionTokens: 11,
  costUsd: 0.001,
  ...extra,
});

describe("live records → figures", () => {
  it("grades by the answering tier's label and converts wall to model time", () => {
    const r = record(0, 0, 100, ok("large", "l0", { escalated: true, path: ["small", "large"] }));
    expect(r).toMatchObject({ correct: true, replayed: true });
    expect(toServed(r, 10)).toEqual({ arrivalMs: 1000, finishMs: 1400, ttftMs: 100, tpotMs: 20, e2eMs: 400, outputTokens: 11, escalated: true, correct: true, costUsd: 0.001 });
    expect(record(1, 0, 0, ok("small", "filler")).replayed).toBe(false);
    expect(record(1, 0, 0, ok("medium", "x")).outcome.error).toMatch(/no data set column/);
  });

  it("counts every request sent: errors miss the SLO and are not correct, and are grouped by kind", () => {
    const records = [
      record(0, 0, 0, ok("small", "s0")), // wrong answer, e2e 40 ms wall
      record(1, 1, 0, ok("small", "s1", { endMs: 200, lastTokenMs: 190 })), // right, e2e 200 ms wall
      record(2, 1, 0, { status: 429, error: "HTTP 429: busy" }),
      record(3, 1, 0, { status: 200, error: "no complete answer within the client deadline of 3000 ms", endMs: 3000 }),
    ];
    const f = liveFigures(records, 1000, 10); // SLO 1000 ms model = 100 ms wall
    expect(f.sent).toBe(4);
    expect(f.completed).toBe(2);
    expect(f.errors).toEqual({ "HTTP 429": 1, deadline: 1 });
    expect(f.answeredBy).toEqual({ small: 2 });
    expect(f.model.requests).toBe(4);
    expect(f.model.sloAttainment).toBe(0.25); // only the 400 ms-model request
    expect(f.model.accuracy).toBe(0.25);
    expect(f.model.e2eMs.p50).toBe(400);
    expect(f.model.e2eMs.p99).toBe(2000);
    expect(f.wall.e2eMs.p99).toBe(200);
    expect(f.wall.sloAttainment).toBe(0.25);
    // 2 completed over 0 → 200 ms wall = 2 s model.
    expect(f.model.requestsPerSecond).toBeCloseTo(1);
    expect(f.wall.requestsPerSecond).toBeCloseTo(10);
  });

  it("gives empty figures when nothing completed, and names error kinds", () => {
    const f = liveFigures([record(0, 0, 0, { status: 0, error: "request failed: ECONNREFUSED" })], 1000, 1);
    expect(f.model).toMatchObject({ requests: 1, sloAttainment: 0, requestsPerSecond: 0, accuracy: 0 });
    expect(Number.isNaN(f.model.e2eMs.p50)).toBe(true);
    expect(f.errors).toEqual({ connection: 1 });
    expect(errorKind(record(0, 0, 0, { status: 200, error: "error in the stream: boom" }))).toBe("stream error");
  });
});
