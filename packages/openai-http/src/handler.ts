import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ROOT_CONTEXT, SpanKind, context, propagation, trace, type Span } from "@opentelemetry/api";
import type { Cascade } from "@weir/cascade";
import { WeirError, toWeirError } from "@weir/errors";
import type { ModelInfo } from "@weir/proto";
import { Exchange } from "./exchange.js";
import { chatCall, completionCall, type GenerationCall } from "./generation-call.js";
import { findModel, modelList, modelObject } from "./models.js";
import type { ResponseMeta } from "./openai-objects.js";
import { parseJson, readBody } from "./read-body.js";
import { headerTargets } from "./request-headers.js";
import { serveGeneration } from "./serve-generation.js";
import { Attr } from "@weir/telemetry/semconv";

export interface OpenAiHandlerDeps {
  cascade: Cascade;
  /** weir-auto and every tier, as GET /v1/models lists them. */
  models: () => ModelInfo[];
  maxBodyBytes: number;
  /** Whole-request deadline: past it the cascade is aborted and the client gets a 504. */
  requestTimeoutMs: number;
  /** False while the gateway cannot serve generations (503). */
  ready: () => boolean;
  newRequestId?: () => string;
}

export type OpenAiHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What one request needs on its way through a route. */
interface RouteContext {
  req: IncomingMessage;
  ex: Exchange;
  span: Span;
  requestId: string;
  /** The path part after the route's prefix (GET /v1/models/{id}). */
  param: string;
}

interface Route {
  /** OTel http.route: the template, not the concrete path. */
  template: string;
  methods: Partial<Record<string, (rc: RouteContext) => Promise<void> | void>>;
}

const tracer = trace.getTracer("@weir/openai-http");

// A client's own x-request-id is kept when it is a sane token (it ends up in
// headers, logs and traces).
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The OpenAI-compatible HTTP API on plain node:http: POST
 * /v1/chat/completions, POST /v1/completions, GET /v1/models,
 * GET /v1/models/{id}. Errors are OpenAI-style bodies. Each request gets a
 * root SERVER span (continuing an incoming traceparent) that the cascade's
 * spans hang under.
 */
export function createOpenAiHandler(deps: OpenAiHandlerDeps): OpenAiHandler {
  const newRequestId = deps.newRequestId ?? randomUUID;
  const createdAt = Math.floor(Date.now() / 1000);

  const generation =
    (kind: "chat" | "text", toCall: (body: unknown, requestId: string) => GenerationCall) =>
    async ({ req, ex, span, requestId }: RouteContext): Promise<void> => {
      span.setAttribute(Attr.operation, kind === "chat" ? "chat" : "text_completion");
      if (!deps.ready()) {
        throw WeirError.unavailable(
          "Weir is not ready to serve yet (it is still connecting to its services): retry shortly",
        );
      }
      const targets = headerTargets(req.headers);
      const call = toCall(parseJson(await readBody(req, deps.maxBodyBytes)), requestId);
      Object.assign(call.input, targets);
      span.setAttributes({ [Attr.requestModel]: call.input.model, [Attr.stream]: call.stream });
      const meta: ResponseMeta = {
        kind,
        id: `${kind === "chat" ? "chatcmpl-" : "cmpl-"}${requestId}`,
        created: Math.floor(Date.now() / 1000),
        model: call.input.model,
      };
      await serveGeneration(ex, deps.cascade, call, meta, span);
    };

  const exact = new Map<string, Route>([
    ["/v1/chat/completions", { template: "/v1/chat/completions", methods: { POST: generation("chat", chatCall) } }],
    ["/v1/completions", { template: "/v1/completions", methods: { POST: generation("text", completionCall) } }],
    [
      "/v1/models",
      { template: "/v1/models", methods: { GET: ({ ex }) => ex.sendJson(200, modelList(deps.models(), createdAt)) } },
    ],
  ]);
  const modelRoute: Route = {
    template: "/v1/models/{id}",
    methods: {
      GET: ({ ex, param }) => ex.sendJson(200, modelObject(findModel(deps.models(), decodeParam(param)), createdAt)),
    },
  };

  return (req, res) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    let route = exact.get(path);
    let param = "";
    if (route === undefined && path.startsWith("/v1/models/") && path.length > "/v1/models/".length) {
      route = modelRoute;
      param = path.slice("/v1/models/".length);
    }

    const incomingId = req.headers["x-request-id"];
    const requestId =
      typeof incomingId === "string" && CLIENT_REQUEST_ID.test(incomingId) ? incomingId : newRequestId();
    res.setHeader("x-request-id", requestId);

    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      route === undefined ? method : `${method} ${route.template}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [Attr.httpMethod]: method,
          [Attr.requestId]: requestId,
          ...(route === undefined ? {} : { [Attr.httpRoute]: route.template }),
        },
      },
      parent,
    );
    const ex = new Exchange(res, span, deps.requestTimeoutMs);

    const serve = route?.methods[method];
    if (route === undefined) {
      ex.fail(
        WeirError.notFound(`there is no ${path}: Weir serves /v1/chat/completions, /v1/completions and /v1/models`),
      );
      return;
    }
    if (serve === undefined) {
      const allowed = Object.keys(route.methods).join(", ");
      ex.sendJson(
        405,
        {
          error: {
            message: `${method} is not allowed on ${route.template}: use ${allowed}`,
            type: "invalid_request_error",
            param: null,
            code: "method_not_allowed",
          },
        },
        { allow: allowed },
      );
      return;
    }
    const rc: RouteContext = { req, ex, span, requestId, param };
    void context.with(trace.setSpan(parent, span), async () => {
      try {
        await serve(rc);
      } catch (err) {
        ex.fail(toWeirError(err, "gateway"));
      }
    }).catch(() => {
      // Even the error answer could not be written: drop the connection
      // rather than leave the client hanging (or crash the process).
      res.destroy();
    });
  };
}

function decodeParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}
