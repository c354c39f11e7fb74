import type * as grpc from "@grpc/grpc-js";
import type { Span } from "@opentelemetry/api";
import { WeirError, grpcStatusOf } from "@weir/errors";
import { endSpan } from "./tracing.js";

/** What a handler gets beside its request. */
export interface CallContext {
  /**
   * Aborted when the client cancels or the deadline passes; the reason is a
   * WeirError (CANCELLED or DEADLINE_EXCEEDED). Pass it to anything that waits:
   * a streaming handler is only stopped between items.
   */
  readonly signal: AbortSignal;
  readonly deadline: Date | undefined;
  readonly metadata: grpc.Metadata;
  /** The SERVER span of this call (also the active span while the handler runs). */
  readonly span: Span;
}

/** What both unary and streaming server calls offer (grpc-js does not export ServerSurfaceCall). */
type SurfaceCall = Pick<grpc.ServerUnaryCall<unknown, unknown>, "cancelled" | "metadata" | "getDeadline" | "once" | "off">;

// At the deadline two things race: the server's own timer (which may fire a
// little early, as libuv caches loop time) and the client's RST_STREAM (its
// timer started first). Either way, a cancel this close to it is the deadline.
const DEADLINE_SLACK_MS = 20;

/** The CallContext of one server call; close() when the call is answered. */
export class ServerCallContext implements CallContext {
  readonly signal: AbortSignal;
  readonly deadline: Date | undefined;
  readonly metadata: grpc.Metadata;
  readonly span: Span;
  readonly #call: SurfaceCall;
  readonly #controller = new AbortController();

  constructor(call: SurfaceCall, span: Span) {
    this.#call = call;
    this.signal = this.#controller.signal;
    this.metadata = call.metadata;
    this.span = span;
    const deadline = call.getDeadline();
    this.deadline = deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : undefined;
    // grpc-js emits 'cancelled' for a client cancel and for an expired deadline
    // (it ends the call itself then); the reason tells them apart.
    call.once("cancelled", this.#onCancelled);
    if (call.cancelled) this.#onCancelled();
  }

  /**
   * Ends the call's bookkeeping once it is answered: stops listening (grpc-js
   * also emits 'cancelled' after a normal end) and ends the span with the outcome.
   */
  close(failure: WeirError | undefined): void {
    this.#call.off("cancelled", this.#onCancelled);
    // A handler that ignored the signal still lost the call: the client saw the cancel.
    const outcome = failure ?? (this.signal.aborted ? (this.signal.reason as WeirError) : undefined);
    endSpan(this.span, "server", outcome === undefined ? 0 : grpcStatusOf(outcome.code), outcome);
  }

  readonly #onCancelled = (): void => {
    if (this.signal.aborted) return;
    const expired = this.deadline !== undefined && Date.now() >= this.deadline.getTime() - DEADLINE_SLACK_MS;
    this.#controller.abort(
      expired
        ? WeirError.deadlineExceeded("the caller's deadline passed before the call finished")
        : WeirError.cancelled("the caller cancelled the call"),
    );
  };
}
