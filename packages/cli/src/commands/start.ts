import { formatLine, startStack, type Stack } from "../stack/index.js";

export interface StartOptions {
  config?: string;
  nats?: string;
}

function curlExample(httpUrl: string): string {
  return [
    `curl -s ${httpUrl}/v1/chat/completions \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d '{"model":"weir-auto","messages":[{"role":"user","content":"What is 17 * 23?"}]}'`,
  ].join("\n");
}

/**
 * `weir start`: the local stack in the foreground with prefixed logs. Ctrl-C
 * (or SIGTERM) drains every service and stops NATS if we started it; no
 * process is left behind.
 */
export async function startCommand(opts: StartOptions): Promise<void> {
  const colour = process.stdout.isTTY === true;
  let stack: Stack;
  try {
    stack = await startStack({
      ...(opts.config === undefined ? {} : { configPath: opts.config }),
      ...(opts.nats === undefined ? {} : { natsUrl: opts.nats }),
      onLine: (label, line) => process.stdout.write(formatLine(label, line, colour) + "\n"),
    });
  } catch (err) {
    process.stderr.write(`weir start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const tiers = stack.config.tiers.map((t) => `${t.name} (${t.model}, ${t.replicas} worker${t.replicas === 1 ? "" : "s"})`);
  process.stdout.write(
    [
      "",
      "Weir is running.",
      `  OpenAI-compatible HTTP:  ${stack.httpUrl}/v1   (models: weir-auto, ${stack.config.tiers.map((t) => t.name).join(", ")})`,
      `  gRPC inference API:      ${stack.grpcAddress}   (weir.v1.InferenceService)`,
      `  NATS:                    ${stack.nats.url}${stack.nats.child ? " (started by weir)" : ""}`,
      `  tiers:                   ${tiers.join("; ")}`,
      "",
      "Try it:",
      curlExample(stack.httpUrl),
      "",
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: draining every service…\n`);
    await stack.stop();
    process.stdout.write("stopped.\n");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  // A service that dies on its own takes the stack down: a half stack misleads.
  for (const p of stack.processes) {
    void p.exited.then((code) => {
      if (stopping) return;
      process.stderr.write(`${p.label} exited unexpectedly (code ${code}); stopping the stack\n`);
      void shutdown("service exit").then(() => process.exit(1));
    });
  }
}
