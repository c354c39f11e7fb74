import type { TierConfig } from "@weir/config";
import { OpenAiEngine } from "@weir/openai-engine";

/**
 * engine: openai — the tier's model served by an OpenAI-compatible server
 * at engineOptions.baseUrl. The API key is read from the environment
 * variable engineOptions.apiKeyEnv names, so it never sits in weir.yaml.
 */
export function openAiEngineForTier(tier: TierConfig, env: NodeJS.ProcessEnv): OpenAiEngine {
  const o = tier.engineOptions;
  if (o.baseUrl === undefined) {
    // The config schema requires it; this guards a hand-built TierConfig.
    throw new Error(`tier "${tier.name}" uses engine "openai" without engineOptions.baseUrl; set it to the server's base URL, e.g. http://127.0.0.1:8000/v1`);
  }
  let apiKey: string | undefined;
  if (o.apiKeyEnv !== undefined) {
    apiKey = env[o.apiKeyEnv];
    if (apiKey === undefined || apiKey === "") {
      throw new Error(
        `tier "${tier.name}" reads its API key from ${o.apiKeyEnv} (engineOptions.apiKeyEnv), which is not set in the worker's environment; export it, or remove apiKeyEnv for a server without keys`,
      );
    }
  }
  return new OpenAiEngine({
    baseUrl: o.baseUrl,
    model: o.upstreamModel ?? tier.model,
    apiKey,
    maxConcurrency: o.maxConcurrency,
    connectTimeoutMs: o.timeouts.connectMs,
    firstTokenTimeoutMs: o.timeouts.firstTokenMs,
    idleTimeoutMs: o.timeouts.idleMs,
    retries: o.retries,
  });
}
