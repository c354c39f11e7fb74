/**
 * Every NATS subject Weir uses, in one place. Request/reply subjects are
 * `<ServicePrefix>.<method>` (see method-subject.ts); event subjects carry the
 * tier and instance id as tokens so subscribers can filter with wildcards.
 */
export const Subjects = {
  routerPlan: "weir.router.plan",
  schedulerPlace: "weir.scheduler.place",
  qeScore: "weir.qe.score",
  kvMatch: "weir.kv.match",
  kvEvents: (tier: string, id: string): string => `weir.kv.events.${token(tier)}.${token(id)}`,
  kvEventsAll: "weir.kv.events.>",
  /** L5 control signals (ControlSignal): weir.signals.<kind>, kind risk | novelty | drift | confidence. */
  signals: (kind: string): string => `weir.signals.${token(kind)}`,
  signalsAll: "weir.signals.>",
  /** GenerationCompleted: a worker finished a generation (core NATS, every scheduler replica listens). */
  generationCompleted: (tier: string, id: string): string => `weir.worker.completed.${token(tier)}.${token(id)}`,
  generationCompletedAll: "weir.worker.completed.>",
} as const;

/** The subject prefix each request/reply service serves its methods under. */
export const ServicePrefix = {
  router: "weir.router",
  scheduler: "weir.scheduler",
  qe: "weir.qe",
  kv: "weir.kv",
} as const;

/** The JetStream stream that keeps KV-cache events (subjects Subjects.kvEventsAll). */
export const KV_EVENTS_STREAM = "WEIR_KV_EVENTS";

/**
 * A tier name or instance id becomes one subject token: a "." or a wildcard
 * in it would silently change which subscribers match, so refuse them.
 */
function token(value: string): string {
  if (value === "" || /[\s.*>]/.test(value)) {
    throw new Error(`"${value}" cannot be a NATS subject token: use a non-empty name without spaces, ".", "*" or ">"`);
  }
  return value;
}
