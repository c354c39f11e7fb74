import { openConversationStore } from "@weir/bus";
import { createCascade } from "@weir/cascade";
import { addHealthService, createGrpcServer, listen, shutdown } from "@weir/grpc";
import { createOpenAiHandler } from "@weir/openai-http";
import { InferenceService } from "@weir/proto";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { createServer } from "node:http";
import { once } from "node:events";
import { createCascadePorts } from "./cascade-ports.js";
import { createGatewayShadow, publishRiskSignals } from "./shadow-and-signals.js";
import { addInferenceService } from "./inference-grpc.js";
import { listModels } from "./models.js";
import { gatewayTokenizer } from "./prompt-tokenizer.js";
import { preloadTokenizer } from "@weir/tokens";
import { Counter } from "prom-client";

/**
 * The front door: OpenAI-compatible HTTP and the gRPC inference API, both
 * over one cascade executor (route → place → generate → judge → escalate).
 */
export async function startGateway(ctx: ServiceContext): Promise<StartedService> {
  const { config } = ctx;
  // Load the BPE vocabulary now, not on the first request (~200 ms).
  preloadTokenizer();
  // Conversation state for the router's L0/L2 layers: the gateway records each completed turn.
  const conversations = {
    store: await openConversationStore(ctx.bus, config.router.turnReuse.ttlMs),
    onError: (err: unknown) => ctx.log.warn({ err }, "a turn was not recorded in the conversation state: the next turn plans without it"),
  };
  const { ports, close: closePorts } = createCascadePorts(
    ctx.bus,
    { controlMs: Number(ctx.env.WEIR_CONTROL_TIMEOUT_MS ?? 2_000), generateMs: config.gateway.requestTimeoutMs },
    conversations,
  );
  const warmUps = new Counter({
    name: "weir_gateway_warmups_total",
    help: "Escalation warm-ups asked of the kv-cache-manager, by tier and outcome (started, skipped, failed).",
    labelNames: ["tier", "outcome"],
    registers: [ctx.registry],
  });
  // L5 risk on weir.signals.risk; L4 shadow verification of accepted answers (shadow-and-signals.ts).
  publishRiskSignals(ports, ctx.bus, config.judge.signals.publish);
  const shadow = createGatewayShadow(ctx, ports, Number(ctx.env.WEIR_CONTROL_TIMEOUT_MS ?? 2_000));
  const cascade = createCascade(ports, {
    ...(shadow === undefined ? {} : { shadow }),
    tiers: config.tiers,
    requestTimeoutMs: config.gateway.requestTimeoutMs,
    tokenizer: gatewayTokenizer,
    onWarmUp: (r) => warmUps.inc({ tier: r.tier, outcome: r.outcome }),
    streamingPolicy: config.gateway.streamingPolicy,
    earlyJudgeTokens: config.gateway.earlyJudgeTokens,
  });
  const models = listModels(config);
  let accepting = true;

  const http = createServer(
    createOpenAiHandler({
      cascade,
      models: () => models,
      maxBodyBytes: config.gateway.maxBodyBytes,
      requestTimeoutMs: config.gateway.requestTimeoutMs,
      ready: () => accepting && ctx.bus.isConnected(),
    }),
  );
  http.keepAliveTimeout = 65_000;
  http.listen(config.gateway.httpPort, config.gateway.host);
  await once(http, "listening");
  const httpAddress = http.address();
  const httpPort = typeof httpAddress === "object" && httpAddress ? httpAddress.port : config.gateway.httpPort;

  const grpc = createGrpcServer();
  addInferenceService(grpc, { cascade, models: () => models, requestTimeoutMs: config.gateway.requestTimeoutMs });
  const health = addHealthService(grpc, [InferenceService.typeName]);
  const grpcPort = await listen(grpc, `${config.gateway.host}:${config.gateway.grpcPort}`);

  return {
    ready: () => accepting,
    info: { httpPort, grpcPort, host: config.gateway.host },
    async stop() {
      // Stop taking new requests; in-flight ones (streams included) finish.
      accepting = false;
      health.setServing("", false);
      health.setServing(InferenceService.typeName, false);
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Keep-alive connections go idle as their in-flight responses finish;
      // close each as soon as it does, so close() can complete.
      http.closeIdleConnections();
      const reaper = setInterval(() => http.closeIdleConnections(), 50);
      try {
        await Promise.all([httpClosed, shutdown(grpc, Number(ctx.env.WEIR_DRAIN_TIMEOUT_MS ?? 30_000))]);
      } finally {
        clearInterval(reaper);
      }
      shadow?.stop();
      closePorts();
    },
  };
}
