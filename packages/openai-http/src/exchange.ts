import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { SpanStatusCode, type Span } from "@opentelemetry/api";
import { ErrorCode, WeirError, httpStatusOf } from "@weir/errors";
import { errorHeaders, openAiErrorBody } from "./openai-error.js";
import { Attr } from "@weir/telemetry/semconv";
import { writeSseEvent } from "./sse.js";

/**
 * One HTTP response and its lifecycle, so that every path answers exactly
 * once: a JSON body, or an SSE stream that ends in [DONE] or an error event.
 *
 * It owns the request's signal, which aborts on the deadline (after a 504 has
 * been sent, whether or not the work below notices) and when the client goes
 * away; and it ends the server span when the response closes.
 */
export class Exchange {
  private readonly controller = new AbortController();
  private state: "open" | "streaming" | "ended" = "open";
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly span: Span,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.expire(timeoutMs), timeoutMs);
    res.on("close", () => this.closed());
  }

  /** Aborted on the deadline or when the client goes away. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the SSE head is out (and until the stream ends). */
  get streaming(): boolean {
    return this.state === "streaming";
  }

  /** True once nothing more may be written. */
  get ended(): boolean {
    return this.state === "ended";
  }

  sendJson(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    if (this.state !== "open") return;
    this.state = "ended";
    const text = JSON.stringify(body);
    this.res.writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    this.res.end(text);
  }

  /** Sends the SSE response head; headers are final from here on. */
  startStream(headers: OutgoingHttpHeaders): void {
    if (this.state !== "open") return;
    this.state = "streaming";
    this.res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      // Proxies such as nginx would otherwise hold the tokens back.
      "x-accel-buffering": "no",
    });
  }

  /** One SSE event; waits while the client reads slower than we write. */
  async sendEvent(data: unknown): Promise<void> {
    if (this.state !== "streaming") return;
    await writeSseEvent(this.res, data);
  }

  endStream(): void {
    if (this.state !== "streaming") return;
    this.state = "ended";
    this.res.end("data: [DONE]\n\n");
  }

  /**
   * Answers with the error: an OpenAI error body with its status before the
   * stream started, an SSE error event after. Recorded on the span either way.
   */
  fail(err: WeirError): void {
    if (this.state === "ended") return;
    this.recordError(err);
    const body = openAiErrorBody(err);
    if (this.state === "streaming") {
      this.state = "ended";
      this.res.end(`data: ${JSON.stringify(body)}\n\n`);
      return;
    }
    const headers = errorHeaders(err);
    // The rest of an oversized body is not worth reading: close instead.
    if (err.code === ErrorCode.PAYLOAD_TOO_LARGE) headers.connection = "close";
    this.sendJson(httpStatusOf(err.code), body, headers);
  }

  private expire(timeoutMs: number): void {
    const err = WeirError.deadlineExceeded(
      `the request did not finish within ${timeoutMs} ms: retry, ask for fewer tokens, or raise the gateway's request timeout`,
    );
    this.fail(err);
    this.controller.abort(err);
  }

  private closed(): void {
    clearTimeout(this.timer);
    if (!this.res.writableFinished) {
      // The client went away before the answer was complete: stop the work.
      this.state = "ended";
      this.span.setAttribute(Attr.errorType, "cancelled");
      this.controller.abort(WeirError.cancelled("the client closed the connection before the answer was complete"));
    }
    if (this.res.headersSent) this.span.setAttribute(Attr.httpStatus, this.res.statusCode);
    this.span.end();
  }

  private recordError(err: WeirError): void {
    this.span.setAttribute(Attr.errorType, ErrorCode[err.code] ?? "UNSPECIFIED");
    // A client's mistake is not a server failure (OTel HTTP server convention).
    if (httpStatusOf(err.code) >= 500) {
      this.span.recordException(err);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    }
  }
}
