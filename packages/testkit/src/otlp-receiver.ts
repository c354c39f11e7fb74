import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import { decodeTraceRequest } from "./otlp-protobuf.js";
import { flattenSpans, type CollectedSpan, type OtlpTraceRequest } from "./otlp-spans.js";
import { waitFor } from "./wait-for.js";

export interface OtlpReceiver {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  url: string;
  /** The full traces URL, for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  tracesUrl: string;
  /** Every span received so far, in arrival order. */
  spans(): CollectedSpan[];
  /** Resolves with all spans once `pred(allSpans)` holds; rejects after `timeoutMs` (default 10000). */
  waitForSpans(pred: (spans: CollectedSpan[]) => boolean, timeoutMs?: number): Promise<CollectedSpan[]>;
  /** Forgets the spans received so far. */
  clear(): void;
  stop(): Promise<void>;
}

/**
 * A tiny OTLP/HTTP trace collector for asserting trace trees across real
 * processes: `POST /v1/traces` with JSON (http/json) or protobuf
 * (http/protobuf, the OpenTelemetry JS default), optionally gzip-compressed.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const collected: CollectedSpan[] = [];
  const server = createServer((req, res) => {
    void handle(req, res, collected);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    tracesUrl: `${url}/v1/traces`,
    spans: () => [...collected],
    async waitForSpans(pred, timeoutMs = 10_000) {
      await waitFor(() => pred([...collected]), {
        timeoutMs,
        intervalMs: 50,
        description: `spans (${collected.length} received so far: ${collected.map((s) => s.name).join(", ")})`,
      });
      return [...collected];
    },
    clear: () => {
      collected.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, collected: CollectedSpan[]): Promise<void> {
  if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/traces") {
    reply(res, 404, "application/json", JSON.stringify({ message: "only POST /v1/traces is served" }));
    return;
  }
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  try {
    let body = await readBody(req);
    if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
    if (contentType === "application/json") {
      collected.push(...flattenSpans(JSON.parse(body.toString("utf8")) as OtlpTraceRequest));
      reply(res, 200, "application/json", "{}");
    } else if (contentType === "application/x-protobuf") {
      collected.push(...flattenSpans(decodeTraceRequest(body)));
      // An empty ExportTraceServiceResponse is zero bytes.
      reply(res, 200, "application/x-protobuf", "");
    } else {
      reply(res, 415, "application/json", JSON.stringify({ message: `unsupported content-type "${contentType}"` }));
    }
  } catch (err) {
    const message = `could not parse the export: ${err instanceof Error ? err.message : String(err)}`;
    reply(res, 400, "application/json", JSON.stringify({ message }));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(body);
}
