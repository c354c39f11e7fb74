import { context, isSpanContextValid, trace, type Context } from "@opentelemetry/api";
import pino from "pino";

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Minimum level; default env LOG_LEVEL, else "info". */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

/**
 * trace_id and span_id of the span active in `ctx`, so a log line can be
 * found from its trace and the other way round. Empty outside a span.
 */
export function traceFields(ctx: Context = context.active()): { trace_id?: string; span_id?: string } {
  const span = trace.getSpanContext(ctx);
  if (span === undefined || !isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId };
}

/**
 * The logger of a service: one JSON object per line on stdout, with
 * `service`, `pid`, an ISO `time`, the level as a word, and the active
 * trace's ids.
 *
 * Writes are synchronous: the last lines before a crash or process.exit
 * are never lost, and they cannot interleave with the WEIR_READY line that
 * launchers wait for. Weir logs per request, not per token, so the cost is
 * small.
 */
export function createLogger(service: string, opts: LoggerOptions = {}): Logger {
  const wanted = opts.level ?? process.env["LOG_LEVEL"] ?? "info";
  const known = wanted in pino.levels.values || wanted === "silent";
  const logger = pino(
    {
      level: known ? wanted : "info",
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => traceFields(),
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  if (!known) {
    logger.warn(`LOG_LEVEL "${wanted}" is not a level; logging at info. Use one of ${Object.keys(pino.levels.values).join(", ")}, silent.`);
  }
  return logger;
}
