import { WeirError } from "@weir/errors";
import type { Agent, IncomingMessage } from "node:http";
import { ConnectError, postStream } from "./http-post.js";
import type { TimingRecorder } from "./request-timings.js";
import { SseParser } from "./sse-parser.js";
import { MalformedStreamError, parseStreamEvent, type StreamEvent, type UpstreamUsage } from "./stream-event.js";
import {
  brokenBeforeFirstToken,
  brokenMidAnswer,
  connectFailure,
  describeServer,
  httpFailure,
  malformed,
  reportedInStream,
  type AttemptFailure,
} from "./upstream-failure.js";
import type { UpstreamRequest } from "./upstream-request.js";

export interface AttemptInput {
  baseUrl: URL;
  upstream: UpstreamRequest;
  headers: Record<string, string>;
  agent: Agent;
  connectTimeoutMs: number;
  /** Time left for the first token, in ms: one budget shared by every attempt of a request. */
  firstTokenLeftMs: number;
  /** The configured first-token limit, for the error message. */
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  /** The caller's signal: aborting it cancels the upstream request at once. */
  signal: AbortSignal;
  /**
   * Most tokens per yielded piece (0 or 1: one each). A piece never waits to
   * fill: it takes the tokens already received and not yet handed on.
   */
  maxTokensPerMessage: number;
  timings: TimingRecorder;
}

/** Text for `tokens` streamed tokens (one SSE event with text = one token). */
export interface Piece {
  text: string;
  tokens: number;
}

/** How a complete stream ended. */
export interface AttemptEnd {
  /** As the server said it; undefined when it sent [DONE] without one. */
  finishReason: string | undefined;
  usage: UpstreamUsage | undefined;
  text: string;
  tokens: number;
}

/** One attempt failed; `failure` says how and whether another may succeed. */
export class AttemptError extends Error {
  override readonly name = "AttemptError";
  constructor(readonly failure: AttemptFailure) {
    super(failure.error.message, { cause: failure.error });
  }
}

/** Why the attempt's own controller aborted: a timeout, with its failure. */
class Timeout {
  constructor(readonly failure: AttemptFailure) {}
}

const ERROR_BODY_LIMIT = 4096;

/**
 * One streaming HTTP request to the upstream, yielding text pieces as they
 * arrive and returning how the stream ended. Failures are AttemptErrors; an
 * abort of the caller's signal rethrows its reason.
 *
 * A piece is handed on as soon as one token is there. It carries every
 * token already received and not handed on yet, up to maxTokensPerMessage:
 * the events of one network read, and the bytes that arrived while the
 * consumer held the previous piece. A consumer that keeps up with the server
 * gets one token per piece; one that falls behind gets the backlog at once.
 *
 * Timeouts: connectTimeoutMs for the connection; firstTokenLeftMs until the
 * first token (waiting for the head included); then idleTimeoutMs between
 * network reads. The idle clock stops while the consumer holds a piece
 * (a slow reader is not a slow server).
 */
export async function* streamAttempt(a: AttemptInput): AsyncGenerator<Piece, AttemptEnd> {
  const server = describeServer(a.baseUrl);
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(a.signal.reason);
  a.signal.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, failure: () => AttemptFailure): void => {
    clearTimeout(timer);
    timer = setTimeout(() => ac.abort(new Timeout(failure())), Math.max(0, ms));
  };
  const firstTokenTimeout = (): AttemptFailure => ({
    retryable: false,
    error: WeirError.deadlineExceeded(
      `${server} sent no token within ${a.firstTokenTimeoutMs} ms (engineOptions.timeouts.firstTokenMs): it is overloaded or stuck`,
    ),
  });
  const idleTimeout = (): AttemptFailure => ({
    retryable: false,
    error: WeirError.deadlineExceeded(
      `${server} sent nothing for ${a.idleTimeoutMs} ms in the middle of an answer (engineOptions.timeouts.idleMs): it is overloaded or stuck`,
    ),
  });
  arm(a.firstTokenLeftMs, firstTokenTimeout);

  let res: IncomingMessage | undefined;
  let body: AsyncIterator<unknown> | undefined;
  let tokens = 0;
  let text = "";
  try {
    try {
      res = await postStream({
        url: new URL(a.upstream.path, a.baseUrl),
        body: JSON.stringify(a.upstream.body),
        headers: a.headers,
        connectTimeoutMs: a.connectTimeoutMs,
        signal: ac.signal,
        agent: a.agent,
      });
    } catch (err) {
      if (ac.signal.aborted) throw err;
      throw new AttemptError(err instanceof ConnectError ? connectFailure(a.baseUrl, err) : brokenBeforeFirstToken(a.baseUrl, err));
    }
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      throw new AttemptError(httpFailure(a.baseUrl, a.upstream.path, status, res.headers, await readSome(res)));
    }
    const type = res.headers["content-type"] ?? "";
    if (!type.includes("text/event-stream")) {
      const sample = await readSome(res);
      throw new AttemptError(
        malformed(a.baseUrl, `answered with content-type ${JSON.stringify(type)} instead of an SSE stream (text/event-stream): ${JSON.stringify(sample.slice(0, 120))}`),
      );
    }

    const parser = new SseParser();
    const perPiece = Math.max(1, a.maxTokensPerMessage);
    // Token texts parsed and not handed on yet (one SSE event with text = one token).
    const waiting: string[] = [];
    let finishReason: string | undefined;
    let usage: UpstreamUsage | undefined;
    let done = false;
    let ended = false;
    const read = (events: ReturnType<SseParser["push"]>): void => {
      const before = waiting.length;
      for (const ev of events) {
        if (done) break;
        let e: StreamEvent;
        try {
          e = parseStreamEvent(ev, a.upstream.api);
        } catch (err) {
          if (err instanceof MalformedStreamError) throw new AttemptError(malformed(a.baseUrl, err.message));
          throw err;
        }
        if (e.type === "done") done = true;
        else if (e.type === "error") {
          const failure = reportedInStream(a.baseUrl, e.message, e.status);
          // Mid-answer nothing is retried, whatever the server thinks of its error.
          throw new AttemptError(tokens + waiting.length > 0 ? { ...failure, retryable: false } : failure);
        } else {
          if (e.text !== "") waiting.push(e.text);
          if (e.finishReason !== undefined) finishReason = e.finishReason;
          if (e.usage !== undefined) usage = { ...usage, ...e.usage };
        }
      }
      a.timings.tokens(waiting.length - before);
    };

    body = res[Symbol.asyncIterator]();
    for (;;) {
      if (waiting.length === 0) {
        if (done || ended) break;
        // Nothing to hand on: wait for the network (the idle clock runs only here).
        if (tokens > 0) arm(a.idleTimeoutMs, idleTimeout);
        const next = await body.next();
        if (next.done === true) {
          ended = true;
          read(parser.end());
        } else read(parser.push(next.value as Buffer));
        continue;
      }
      // Never wait to fill a piece, but take along what has already arrived
      // (while the consumer held the previous piece), up to perPiece tokens.
      while (waiting.length < perPiece && !done && !ended && res.readableLength > 0) {
        const bytes = res.read() as Buffer | null;
        if (bytes === null) break;
        read(parser.push(bytes));
      }
      const group = waiting.splice(0, perPiece);
      const piece = group.join("");
      tokens += group.length;
      text += piece;
      clearTimeout(timer);
      yield { text: piece, tokens: group.length };
    }
    if (!done && finishReason === undefined) {
      const err = new Error("the stream ended without [DONE] or a finish_reason");
      if (tokens > 0) throw new AttemptError({ retryable: false, error: brokenMidAnswer(a.baseUrl, tokens, err) });
      if (parser.foreignLine !== undefined) {
        throw new AttemptError(malformed(a.baseUrl, `sent a line that is not SSE: ${JSON.stringify(parser.foreignLine.slice(0, 120))}`));
      }
      throw new AttemptError(brokenBeforeFirstToken(a.baseUrl, err));
    }
    return { finishReason, usage, text, tokens };
  } catch (err) {
    if (err instanceof AttemptError) throw err;
    if (ac.signal.aborted) {
      const reason: unknown = ac.signal.reason;
      if (reason instanceof Timeout) throw new AttemptError(reason.failure);
      throw reason;
    }
    throw new AttemptError(
      tokens > 0
        ? { retryable: false, error: brokenMidAnswer(a.baseUrl, tokens, err) }
        : brokenBeforeFirstToken(a.baseUrl, err),
    );
  } finally {
    clearTimeout(timer);
    a.signal.removeEventListener("abort", onAbort);
    // A response that has arrived whole is read to its end, so its socket
    // goes back to the agent's pool; anything else (an abort, a timeout, a
    // stop at [DONE] before the end came) cuts the connection, which is
    // also what tells the server to stop generating.
    if (res === undefined || !res.complete) ac.abort();
    else if (body !== undefined) await drain(body);
  }
}

async function drain(body: AsyncIterator<unknown>): Promise<void> {
  try {
    while ((await body.next()).done !== true);
  } catch {
    // Nothing left that matters.
  }
}

/** The start of a body (for error messages); gives up quietly on a broken connection. */
async function readSome(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= ERROR_BODY_LIMIT) break;
    }
  } catch {
    // What arrived is enough to say what was wrong.
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, ERROR_BODY_LIMIT);
}
