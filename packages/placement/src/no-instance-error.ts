import { ErrorCode, WeirError } from "@weir/errors";

/** What placement saw, to say precisely why nothing could be chosen. */
export interface NoInstanceDetail {
  /** Placeable instances of the tier. */
  live?: number;
  /** Instances of the tier that are draining (known, but taking nothing new). */
  draining?: number;
  /** How many of the live instances the request excluded (already tried). */
  excluded?: number;
}

/**
 * The UNAVAILABLE error for "nowhere to place this generation", with a
 * sentence that says what was seen and what to do.
 *
 * @param heartbeatWindowMs the registry's expiry window: an instance silent for
 *   longer counts as gone.
 */
export function noInstanceError(tier: string, heartbeatWindowMs: number, detail: NoInstanceDetail = {}): WeirError {
  const live = detail.live ?? 0;
  const draining = detail.draining ?? 0;
  const excluded = detail.excluded ?? 0;
  const start = `start a model-worker with WEIR_TIER=${tier}`;
  let message: string;
  if (live > 0 && excluded >= live) {
    const tried = live === 1 ? "its only live instance was" : `all ${live} live instances were`;
    message = `no worker for tier "${tier}" is left to try: ${tried} already tried by this request; ${start} to add capacity`;
  } else if (draining > 0) {
    message =
      `no live worker for tier "${tier}": ${plural(draining, "instance")} ${draining === 1 ? "is" : "are"} ` +
      `draining and no other has sent a heartbeat in the last ${heartbeatWindowMs} ms; ${start}`;
  } else {
    message =
      `no live worker for tier "${tier}": no instance has sent a heartbeat in the last ` +
      `${heartbeatWindowMs} ms; ${start} (connected to the same NATS server)`;
  }
  return new WeirError(ErrorCode.UNAVAILABLE, message);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
