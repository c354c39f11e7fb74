import { createInbox, type Msg, type MsgHdrs, type Subscription } from "@nats-io/nats-core";
import { WeirError } from "@weir/errors";
import type { Bus } from "./connect.js";
import { disconnected, noResponders, type Callee } from "./request-errors.js";

interface Pending {
  resolve: (msg: Msg) => void;
  reject: (err: WeirError) => void;
  timer: ReturnType<typeof setTimeout>;
  callee: Callee;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Request/reply over one wildcard reply subscription per connection, with
 * the pending requests in a map. It replaces nc.request on the request path
 * because nats.js builds Error objects (with stack traces) for every
 * request, even a successful one, and our callers also need every request
 * in flight to fail the moment the connection drops, which a single status
 * listener here does for all of them. No-responders still comes from the
 * server's 503 status message, as with nc.request.
 */
export class RequestMux {
  readonly #bus: Bus;
  readonly #prefix: string;
  readonly #pending = new Map<string, Pending>();
  readonly #sub: Subscription;
  #seq = 0;

  constructor(bus: Bus) {
    this.#bus = bus;
    this.#prefix = `${createInbox()}.`;
    this.#sub = bus.nc.subscribe(`${this.#prefix}*`, {
      callback: (err, msg) => {
        if (err === null) this.#onReply(msg);
      },
    });
    bus.onStatus((status) => {
      if (status === "disconnected" || status === "closed") this.#failAll();
    });
  }

  /** Sends `payload` to `subject` and resolves with the reply. Rejects with WeirErrors only. */
  request(subject: string, payload: Uint8Array, headers: MsgHdrs, callee: Callee, signal?: AbortSignal): Promise<Msg> {
    if (!this.#bus.isConnected()) return Promise.reject(disconnected(callee));
    if (signal?.aborted === true) return Promise.reject(cancelledCall(callee));
    const token = (this.#seq++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const pending: Pending = {
        resolve,
        reject,
        callee,
        signal,
        onAbort: undefined,
        timer: setTimeout(() => {
          this.#settle(token)?.reject(
            WeirError.deadlineExceeded(`${callee.service} did not answer on ${callee.subject} within ${callee.timeoutMs} ms`),
          );
        }, callee.timeoutMs),
      };
      if (signal !== undefined) {
        pending.onAbort = () => this.#settle(token)?.reject(cancelledCall(callee));
        signal.addEventListener("abort", pending.onAbort, { once: true });
      }
      this.#pending.set(token, pending);
      try {
        this.#bus.nc.publish(subject, payload, { reply: this.#prefix + token, headers });
      } catch (err) {
        this.#settle(token)?.reject(disconnected(callee, err));
      }
    });
  }

  close(): void {
    this.#sub.unsubscribe();
    this.#failAll();
  }

  #onReply(msg: Msg): void {
    const pending = this.#settle(msg.subject.slice(this.#prefix.length));
    if (pending === undefined) return; // late reply after a timeout or abort
    // The server answers a request nobody listens to with a 503 status message.
    if (msg.data.length === 0 && msg.headers?.code === 503) pending.reject(noResponders(pending.callee));
    else pending.resolve(msg);
  }

  /** Removes a pending request and its timer and listener; undefined when already settled. */
  #settle(token: string): Pending | undefined {
    const pending = this.#pending.get(token);
    if (pending === undefined) return undefined;
    this.#pending.delete(token);
    clearTimeout(pending.timer);
    if (pending.onAbort !== undefined) pending.signal?.removeEventListener("abort", pending.onAbort);
    return pending;
  }

  #failAll(): void {
    for (const token of [...this.#pending.keys()]) {
      const pending = this.#settle(token);
      pending?.reject(disconnected(pending.callee));
    }
  }
}

function cancelledCall(callee: Callee): WeirError {
  return WeirError.cancelled(`the call to ${callee.service} on ${callee.subject} was cancelled`);
}

const muxes = new WeakMap<Bus, RequestMux>();

/** The bus's request mux, created on first use. */
export function requestMux(bus: Bus): RequestMux {
  let mux = muxes.get(bus);
  if (mux === undefined) {
    mux = new RequestMux(bus);
    muxes.set(bus, mux);
  }
  return mux;
}
