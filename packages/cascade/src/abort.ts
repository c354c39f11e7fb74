import { WeirError } from "@weir/errors";

/**
 * The error a run ends with once its signal fired: the reason itself when it
 * is a WeirError (a deadline), otherwise the client went away.
 */
export function abortError(signal: AbortSignal): WeirError {
  const reason: unknown = signal.reason;
  if (reason instanceof WeirError) return reason;
  return WeirError.cancelled("the request was cancelled before the answer was complete (the client went away)");
}

/**
 * The signal a run obeys: the caller's, plus a deadline when one is set. The
 * deadline aborts with DEADLINE_EXCEEDED so the error says what happened.
 * `dispose` clears the timer and the listener; call it when the run ends.
 */
export function runSignal(
  caller: AbortSignal,
  timeoutMs: number | undefined,
): { signal: AbortSignal; dispose(): void } {
  if (timeoutMs === undefined || timeoutMs <= 0) return { signal: caller, dispose: noop };
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(caller.reason);
  if (caller.aborted) onCallerAbort();
  else caller.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    controller.abort(
      WeirError.deadlineExceeded(
        `the cascade did not finish within ${timeoutMs} ms: retry, ask for fewer tokens, or raise the request timeout`,
      ),
    );
  }, timeoutMs);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      caller.removeEventListener("abort", onCallerAbort);
    },
  };
}

function noop(): void {}
