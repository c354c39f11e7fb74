import { performance } from "node:perf_hooks";

// Token streams measured over a fixed window: C clients each run one
// streaming request after another; only what arrives inside the window counts,
// so start-up and the tail of the last requests do not blur the rate.

/** What one streaming request reports as it runs. */
export interface StreamSink {
  /** One message (a frame or SSE event) carrying text arrived. */
  message(): void;
  /** The request finished, having produced `tokens` output tokens (its usage). */
  done(tokens: number): void;
}

export interface WindowResult {
  concurrency: number;
  seconds: number;
  requests: number;
  failed: number;
  tokensPerSecond: number;
  messagesPerSecond: number;
  /** Mean output tokens per text message. */
  tokensPerMessage: number;
}

/**
 * Runs `call` in `concurrency` closed loops for warmupS + seconds; counts
 * messages when they arrive and a request's tokens when it ends, both only
 * inside the window after the warm-up. At a steady rate the requests cut at
 * the two edges of the window balance out.
 */
export async function tokenWindow(
  concurrency: number,
  warmupS: number,
  seconds: number,
  call: (sink: StreamSink) => Promise<void>,
  hooks: { onStart?: () => void; onEnd?: () => void } = {},
): Promise<WindowResult> {
  let counting = false;
  let messages = 0;
  let tokens = 0;
  let requests = 0;
  let failed = 0;
  const sink: StreamSink = {
    message: () => {
      if (counting) messages++;
    },
    done: (n) => {
      if (!counting) return;
      tokens += n;
      requests++;
    },
  };
  const start = performance.now();
  const end = start + (warmupS + seconds) * 1000;
  let windowStart = 0;
  let windowEnd = 0;
  const on = setTimeout(() => {
    counting = true;
    windowStart = performance.now();
    hooks.onStart?.();
  }, warmupS * 1000);
  const off = setTimeout(() => {
    counting = false;
    windowEnd = performance.now();
    hooks.onEnd?.();
  }, (warmupS + seconds) * 1000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        try {
          await call(sink);
        } catch {
          if (counting) failed++;
        }
      }
    }),
  );
  clearTimeout(on);
  clearTimeout(off);
  const elapsed = ((windowEnd || performance.now()) - windowStart) / 1000;
  return {
    concurrency,
    seconds: elapsed,
    requests,
    failed,
    tokensPerSecond: tokens / elapsed,
    messagesPerSecond: messages / elapsed,
    tokensPerMessage: messages === 0 ? 0 : tokens / messages,
  };
}
