import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One span as OTLP/JSON carries it, reduced to what the tests read. */
export interface ReceivedSpan {
  name: string;
  traceId: string;
  resource: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

function flatten(kvs: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) out[kv.key] = Object.values(kv.value)[0];
  return out;
}

/**
 * A tiny OTLP/HTTP collector: accepts POST /v1/traces and keeps every span
 * sent as JSON (protobuf bodies are only counted). Counts every request, so
 * a test can assert that none arrived.
 */
export async function startReceiver(): Promise<{
  url: string;
  spans: ReceivedSpan[];
  requests: () => number;
  /** The content-type of every POST /v1/traces, in arrival order. */
  contentTypes: string[];
  waitForSpan: (timeoutMs: number) => Promise<ReceivedSpan>;
  close: () => Promise<void>;
}> {
  const spans: ReceivedSpan[] = [];
  let requests = 0;
  const contentTypes: string[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    requests++;
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") {
        contentTypes.push(req.headers["content-type"] ?? "");
      }
      if (req.method === "POST" && req.url === "/v1/traces" && req.headers["content-type"] === "application/json") {
        const parsed = JSON.parse(body) as {
          resourceSpans?: Array<{
            resource?: { attributes?: KeyValue[] };
            scopeSpans?: Array<{ spans?: Array<{ name: string; traceId: string; attributes?: KeyValue[] }> }>;
          }>;
        };
        for (const rs of parsed.resourceSpans ?? []) {
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                name: s.name,
                traceId: s.traceId,
                resource: flatten(rs.resource?.attributes),
                attributes: flatten(s.attributes),
              });
            }
          }
        }
        waiters.splice(0).forEach((wake) => wake());
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests: () => requests,
    contentTypes,
    waitForSpan: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const first = spans[0];
          if (first !== undefined) {
            clearTimeout(timer);
            resolve(first);
          } else waiters.push(check);
        };
        const timer = setTimeout(() => reject(new Error(`no span within ${timeoutMs} ms`)), timeoutMs);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
