import { ErrorCode, WeirError } from "@weir/errors";
import type { IncomingHttpHeaders } from "node:http";
import type { ConnectError } from "./http-post.js";

/**
 * Why one attempt failed, as the WeirError the client would see, and whether
 * another attempt may do better. Only failures before the first token are
 * ever retried; this says whether the failure itself is worth retrying.
 */
export interface AttemptFailure {
  error: WeirError;
  retryable: boolean;
  /** The server's own Retry-After, when it sent one. */
  retryAfterMs?: number;
}

/** The base URL as messages show it: no credentials, no trailing slash. */
function shown(baseUrl: URL): string {
  return `${baseUrl.origin}${baseUrl.pathname.replace(/\/$/, "")}`;
}

/** "the OpenAI-compatible server at <url>". */
export function describeServer(baseUrl: URL): string {
  return `the OpenAI-compatible server at ${shown(baseUrl)}`;
}

/** No connection: refused, unknown host, unreachable, or the connect timeout. */
export function connectFailure(baseUrl: URL, err: ConnectError): AttemptFailure {
  return {
    retryable: true,
    error: WeirError.unavailable(
      `cannot reach ${describeServer(baseUrl)}: ${err.message}; check that it is running and that engineOptions.baseUrl points at it`,
      err,
    ),
  };
}

/** The connection broke before the first token: the server died or restarted. Safe to try again. */
export function brokenBeforeFirstToken(baseUrl: URL, err: unknown): AttemptFailure {
  return {
    retryable: true,
    error: WeirError.unavailable(
      `${describeServer(baseUrl)} closed the connection before the first token: ${reasonOf(err)}`,
      err,
    ),
  };
}

/** The connection broke mid-answer. Never retried: tokens have reached the client. */
export function brokenMidAnswer(baseUrl: URL, tokens: number, err: unknown): WeirError {
  return WeirError.unavailable(
    `${describeServer(baseUrl)} closed the connection after ${tokens} token${tokens === 1 ? "" : "s"}, before the answer was finished: ${reasonOf(err)}`,
    err,
  );
}

/** The server sent something that is not an OpenAI stream: a wrong URL or a server bug. Retrying would not help. */
export function malformed(baseUrl: URL, what: string): AttemptFailure {
  return {
    retryable: false,
    error: WeirError.internal(`${describeServer(baseUrl)} ${what}; check that engineOptions.baseUrl is its OpenAI API (usually ending in /v1)`),
  };
}

/**
 * An HTTP error status. Overload and server faults (408, 429, 5xx) may pass;
 * a rejected request or a wrong URL, model or key will not.
 */
export function httpFailure(baseUrl: URL, path: string, status: number, headers: IncomingHttpHeaders, body: string): AttemptFailure {
  const server = describeServer(baseUrl);
  const detail = errorMessageOf(body);
  const said = `${server} answered HTTP ${status} to POST /${path}${detail === "" ? "" : `: ${detail}`}`;
  const retryAfterMs = retryAfterOf(headers);
  const after = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 408) return { retryable: true, error: WeirError.deadlineExceeded(said), ...after };
  if (status === 429) return { retryable: true, error: WeirError.resourceExhausted(said, retryAfterMs), ...after };
  if (status >= 500) return { retryable: true, error: WeirError.unavailable(said), ...after };
  if (status === 400 || status === 422) return { retryable: false, error: WeirError.invalidArgument(said) };
  if (status === 413) return { retryable: false, error: new WeirError(ErrorCode.PAYLOAD_TOO_LARGE, said) };
  const hint =
    status === 401 || status === 403
      ? "; check the API key (engineOptions.apiKeyEnv names the variable that holds it)"
      : status === 404
        ? "; check engineOptions.baseUrl (usually ending in /v1) and engineOptions.upstreamModel"
        : "";
  return { retryable: false, error: WeirError.internal(`${said}${hint}`) };
}

/** An error the server reported inside the stream (vLLM does this for failures after the head). */
export function reportedInStream(baseUrl: URL, message: string, status: number | undefined): AttemptFailure {
  const said = `${describeServer(baseUrl)} reported an error in the stream: ${message}`;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { retryable: false, error: WeirError.invalidArgument(said) };
  }
  return { retryable: true, error: WeirError.unavailable(said) };
}

/** The message of an OpenAI, vLLM or FastAPI error body; else the body's start. */
export function errorMessageOf(body: string): string {
  const text = body.trim();
  try {
    const json = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const candidates = [typeof json.error === "object" ? json.error.message : json.error, json.message, json.detail];
    for (const c of candidates) if (typeof c === "string" && c !== "") return c;
  } catch {
    // Not JSON: quote the start of it.
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function retryAfterOf(headers: IncomingHttpHeaders): number | undefined {
  const ms = Number(headers["retry-after-ms"]);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const s = Number(headers["retry-after"]);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  return undefined;
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
