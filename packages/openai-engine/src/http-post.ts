import { request as httpRequest, type Agent, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";

export interface PostOptions {
  url: URL;
  body: string;
  headers: Record<string, string>;
  /** The connection (TCP, and TLS for https) must be up within this many ms. */
  connectTimeoutMs: number;
  /** Aborting it destroys the request, and the response once there is one. */
  signal: AbortSignal;
  agent: Agent;
}

/** No connection was made: nothing reached the server, so trying again is always safe. */
export class ConnectError extends Error {
  override readonly name = "ConnectError";
  /** The system error code when there is one (ECONNREFUSED, ENOTFOUND, …). */
  readonly code: string | undefined;
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * POSTs `body` and resolves with the response as soon as its head arrives;
 * the body is left to the caller to stream. node:http rather than fetch
 * because the connect phase needs its own timeout and its own error: fetch
 * folds connecting, sending and waiting for the head into one promise with a
 * fixed 10 s connect limit.
 */
export function postStream(opts: PostOptions): Promise<IncomingMessage> {
  const secure = opts.url.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(opts.url, {
      method: "POST",
      agent: opts.agent,
      signal: opts.signal,
      headers: { ...opts.headers, "content-length": Buffer.byteLength(opts.body) },
    });
    let connected = false;
    const timer = setTimeout(() => {
      req.destroy(new ConnectError(`no connection within ${opts.connectTimeoutMs} ms`, "ETIMEDOUT"));
    }, opts.connectTimeoutMs);
    const onConnected = (): void => {
      connected = true;
      clearTimeout(timer);
    };
    req.on("socket", (socket: Socket) => {
      // A kept-alive socket from the agent is connected (and through TLS) already.
      if (req.reusedSocket || (!secure && !socket.connecting)) onConnected();
      else socket.once(secure ? "secureConnect" : "connect", onConnected);
    });
    req.on("response", (res) => {
      onConnected();
      resolve(res);
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err instanceof ConnectError || connected || err.name === "AbortError") reject(err);
      else reject(new ConnectError(err.message, err.code, { cause: err }));
    });
    req.end(opts.body);
  });
}
