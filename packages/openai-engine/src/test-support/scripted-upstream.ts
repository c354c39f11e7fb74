import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the scripted upstream does with one request:
 * - "proxy": pass it to the real server (a sim-server) and its answer back;
 * - { proxyThenCut: n }: pass it on, but cut the connection after n SSE events;
 * - "reset": destroy the connection without answering;
 * - { status, body, contentType? }: answer that, whole;
 * - { events, then }: an SSE head, these raw `data:` payloads, then end, hang or cut;
 * - "hang": read the request and never answer.
 */
export type Step =
  | "proxy"
  | { proxyThenCut: number }
  | "reset"
  | { status: number; body: string; contentType?: string; headers?: Record<string, string> }
  | { events: string[]; then: "end" | "hang" | "reset" }
  | "hang";

export interface ScriptedUpstream {
  /** Base URL of its OpenAI API (…/v1). */
  url: string;
  port: number;
  /** Requests received so far, with their parsed JSON bodies. */
  requests: { path: string; body: Record<string, unknown>; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

/**
 * A tiny node:http server that misbehaves on cue, one Step per request in
 * order (the last step repeats), in front of a real upstream for "proxy".
 */
export async function startScriptedUpstream(steps: Step[], target?: string, port = 0): Promise<ScriptedUpstream> {
  const requests: ScriptedUpstream["requests"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      requests.push({ path: req.url ?? "", body: raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>), headers: req.headers });
      const step = steps[Math.min(requests.length - 1, steps.length - 1)] ?? "proxy";
      play(step, req, res, raw, target);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/v1`,
    port: bound,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function play(step: Step, req: IncomingMessage, res: ServerResponse, raw: string, target: string | undefined): void {
  if (step === "hang") return;
  if (step === "reset") {
    req.socket.destroy();
    return;
  }
  if (step === "proxy" || "proxyThenCut" in step) {
    if (target === undefined) throw new Error("a proxy step needs a target");
    const cutAfter = step === "proxy" ? Infinity : step.proxyThenCut;
    const up = request(new URL(`${target.replace(/\/v1$/, "")}${req.url ?? ""}`), {
      method: req.method ?? "POST",
      headers: { "content-type": "application/json" },
    });
    up.on("response", (upRes) => {
      res.writeHead(upRes.statusCode ?? 500, upRes.headers);
      let events = 0;
      upRes.on("data", (chunk: Buffer) => {
        if (events >= cutAfter) return;
        // Pass on whole events up to the cut, never more: the upstream may
        // deliver many events (even the whole answer) in one TCP chunk, and
        // cutting after the chunk would then deliver a finished answer.
        const text = chunk.toString("utf8");
        let end = 0;
        while (events < cutAfter) {
          const boundary = text.indexOf("\n\n", end);
          if (boundary < 0) break;
          end = boundary + 2;
          events++;
        }
        res.write(events >= cutAfter ? text.slice(0, end) : text);
        if (events >= cutAfter) {
          upRes.destroy();
          res.socket?.destroy();
        }
      });
      upRes.on("end", () => res.end());
    });
    res.on("close", () => up.destroy());
    up.end(raw);
    return;
  }
  if ("status" in step) {
    res.writeHead(step.status, { "content-type": step.contentType ?? "application/json", ...step.headers });
    res.end(step.body);
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.socket?.setNoDelay(true);
  for (const data of step.events) res.write(`data: ${data}\n\n`);
  if (step.then === "end") res.end();
  else if (step.then === "reset") setTimeout(() => res.socket?.destroy(), 20);
}
