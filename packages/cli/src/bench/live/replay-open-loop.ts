// Open-loop replay: every request leaves at its scheduled wall-clock time
// whether or not earlier ones have finished (a closed loop would let a slow
// deployment throttle its own offered load). Each has a client deadline,
// so the replay always ends.

import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChatTurn } from "@weir/tokens";
import { type LiveRecord, type RowLabels, gradeRecord } from "./live-record.js";
import { sendSchedule } from "./send-schedule.js";
import { type ChatOutcome, streamChat } from "./sse-chat.js";

export interface ReplayItem {
  /** Trace arrival, model ms (already rate-scaled). */
  arrivalMs: number;
  row: number;
  messages: readonly ChatTurn[];
}

export interface ReplayOptions {
  speedup: number;
  /** Client deadline of one request, wall ms. */
  deadlineMs: number;
  labels: RowLabels;
  onDone?: (done: number, total: number) => void;
  /** The request function (tests replace it). */
  send?: (baseUrl: string, messages: readonly ChatTurn[], deadlineMs: number) => Promise<ChatOutcome>;
}

export async function replayOpenLoop(baseUrl: string, items: readonly ReplayItem[], o: ReplayOptions): Promise<LiveRecord[]> {
  const send = o.send ?? streamChat;
  const schedule = sendSchedule(
    items.map((x) => x.arrivalMs),
    o.speedup,
  );
  const t0 = performance.now();
  const inFlight: Promise<LiveRecord>[] = [];
  let done = 0;
  for (const s of schedule) {
    const wait = s.sendAtMs - (performance.now() - t0);
    if (wait > 0) await sleep(wait);
    const item = items[s.index]!;
    const sentMs = performance.now() - t0;
    inFlight.push(
      send(baseUrl, item.messages, o.deadlineMs).then((outcome) => {
        o.onDone?.(++done, items.length);
        return gradeRecord({ index: s.index, row: item.row, plannedSendMs: s.sendAtMs, sentMs, outcome }, o.labels);
      }),
    );
  }
  const records = await Promise.all(inFlight);
  return records.sort((a, b) => a.index - b.index);
}
