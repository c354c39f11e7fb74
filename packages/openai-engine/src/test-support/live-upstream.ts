import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An SSE upstream the test writes to event by event, so it decides exactly
 * what has arrived when the adapter's consumer asks for the next piece. One
 * streaming request at a time.
 */
export interface LiveUpstream {
  /** Base URL of its OpenAI API (…/v1). */
  url: string;
  /** Resolves once a request has come in and the SSE head is sent. */
  connected(): Promise<void>;
  /** Writes these `data:` payloads, one event each; resolves when they are on the socket. */
  send(...data: string[]): Promise<void>;
  /** Ends the response. */
  end(): void;
  close(): Promise<void>;
}

export async function startLiveUpstream(): Promise<LiveUpstream> {
  let res: ServerResponse | undefined;
  let onConnect: (() => void) | undefined;
  const connected = new Promise<void>((resolve) => (onConnect = resolve));
  const server = createServer((req, response) => {
    req.resume();
    req.on("end", () => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.socket?.setNoDelay(true);
      response.flushHeaders();
      res = response;
      onConnect?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const open = (): ServerResponse => {
    if (res === undefined) throw new Error("no request has come in yet");
    return res;
  };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    connected: () => connected,
    send: (...data) =>
      new Promise<void>((resolve, reject) => {
        open().write(data.map((d) => `data: ${d}\n\n`).join(""), (err) => (err ? reject(err) : resolve()));
      }),
    end: () => open().end(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
