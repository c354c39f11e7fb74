import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Engine } from "@weir/engine";
import { WeirError, toWeirError } from "@weir/errors";
import { parseJson, readBody, type ApiKind, type ResponseMeta } from "@weir/openai-http";
import type { Registry } from "prom-client";
import { Exchange } from "./exchange.js";
import { generationCall } from "./generation-call.js";
import { modelList } from "./openai-objects.js";
import { serveGeneration } from "./serve-generation.js";
import type { ServerMetrics } from "./server-metrics.js";

export interface SimServerHandlerDeps {
  engine: Engine;
  /** The one model served: what /v1/models lists and what requests must name. */
  model: string;
  /** Largest request body accepted (413 above). */
  maxBodyBytes: number;
  registry: Registry;
  metrics: ServerMetrics;
  /** Written into the engine's requests (its KV events carry it). */
  tier: string;
}

export type SimServerHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The OpenAI-compatible API of one simulated model on plain node:http:
 * POST /v1/chat/completions, POST /v1/completions, GET /v1/models,
 * GET /health and GET /metrics (vLLM's names). Errors are OpenAI-style
 * bodies with a sentence.
 */
export function createSimServerHandler(deps: SimServerHandlerDeps): SimServerHandler {
  const created = Math.floor(Date.now() / 1000);

  const generate = async (kind: ApiKind, req: IncomingMessage, ex: Exchange): Promise<void> => {
    const requestId = randomUUID().replaceAll("-", "");
    const call = generationCall(kind, parseJson(await readBody(req, deps.maxBodyBytes)), requestId, deps.tier);
    if (call.model !== deps.model) {
      throw WeirError.notFound(`the model "${call.model}" does not exist here: this server serves "${deps.model}"`, "model");
    }
    const meta: ResponseMeta = {
      kind,
      id: `${kind === "chat" ? "chatcmpl-" : "cmpl-"}${requestId}`,
      created: Math.floor(Date.now() / 1000),
      model: call.model,
    };
    await serveGeneration(ex, deps.engine, call, meta, deps.metrics.start());
  };

  const routes: Record<string, Partial<Record<string, (req: IncomingMessage, ex: Exchange) => Promise<void> | void>>> = {
    "/v1/chat/completions": { POST: (req, ex) => generate("chat", req, ex) },
    "/v1/completions": { POST: (req, ex) => generate("text", req, ex) },
    "/v1/models": { GET: (_req, ex) => ex.sendJson(200, modelList(deps.model, created)) },
    "/health": { GET: (_req, ex) => ex.sendText(200, "", "text/plain") },
    "/metrics": {
      GET: async (_req, ex) => ex.sendText(200, await deps.registry.metrics(), deps.registry.contentType),
    },
  };

  return (req, res) => {
    const ex = new Exchange(res);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    void (async () => {
      const route = routes[path];
      if (route === undefined) {
        throw WeirError.notFound(`there is no ${path} here: use /v1/chat/completions, /v1/completions or /v1/models`);
      }
      const handle = route[req.method ?? "GET"];
      if (handle === undefined) {
        throw WeirError.invalidArgument(`${req.method ?? "?"} ${path} is not supported: use ${Object.keys(route).join(" or ")}`);
      }
      await handle(req, ex);
    })().catch((err: unknown) => ex.fail(toWeirError(err, "sim-server")));
  };
}
