import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { ErrorCode, WeirError, httpStatusOf } from "@weir/errors";
import { openAiErrorBody, writeSseEvent } from "@weir/openai-http";

/**
 * One HTTP response and its lifecycle, so that every path answers exactly
 * once: a JSON body, or an SSE stream that ends in [DONE] or an error event.
 * Its signal aborts when the client goes away before the answer is complete:
 * that is what stops the engine's generation.
 */
export class Exchange {
  readonly #controller = new AbortController();
  #state: "open" | "streaming" | "ended" = "open";

  constructor(private readonly res: ServerResponse) {
    res.on("close", () => {
      this.#state = "ended";
      // A response that was not fully written means the client left early.
      if (!res.writableFinished) this.#controller.abort(WeirError.cancelled("the client closed the connection"));
    });
  }

  /** Aborted when the client goes away. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True once the SSE head is out (and until the stream ends). */
  get streaming(): boolean {
    return this.#state === "streaming";
  }

  get ended(): boolean {
    return this.#state === "ended";
  }

  sendJson(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    this.sendText(status, JSON.stringify(body), "application/json", headers);
  }

  sendText(status: number, text: string, contentType: string, headers: OutgoingHttpHeaders = {}): void {
    if (this.#state !== "open") return;
    this.#state = "ended";
    this.res.writeHead(status, { ...headers, "content-type": contentType, "content-length": Buffer.byteLength(text) });
    this.res.end(text);
  }

  /** Sends the SSE head once; later calls do nothing. */
  startStream(): void {
    if (this.#state !== "open") return;
    this.#state = "streaming";
    this.res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    });
    // Tokens are tiny writes that must leave at once, as a real server's do.
    this.res.socket?.setNoDelay(true);
  }

  /** One SSE event; waits while the client reads slower than we write. */
  async sendEvent(data: unknown): Promise<void> {
    if (this.#state !== "streaming") return;
    await writeSseEvent(this.res, data);
  }

  endStream(): void {
    if (this.#state !== "streaming") return;
    this.#state = "ended";
    this.res.end("data: [DONE]\n\n");
  }

  /** An OpenAI error body with its status before the stream started, an SSE error event after. */
  fail(err: WeirError): void {
    if (this.#state === "ended") return;
    const body = openAiErrorBody(err);
    if (this.#state === "streaming") {
      this.#state = "ended";
      this.res.end(`data: ${JSON.stringify(body)}\n\ndata: [DONE]\n\n`);
      return;
    }
    // The rest of an oversized body is not worth reading: close instead.
    const headers: OutgoingHttpHeaders = err.code === ErrorCode.PAYLOAD_TOO_LARGE ? { connection: "close" } : {};
    this.sendJson(httpStatusOf(err.code), body, headers);
  }
}
