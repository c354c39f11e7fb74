import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { trackDir } from "./cleanup.js";
import { freePort } from "./free-port.js";
import { describeExit, spawnTracked, terminate, type Spawned } from "./spawn-tracked.js";
import { sleep } from "./wait-for.js";

export interface StartNatsServerOptions {
  /** Enable JetStream with the temp store dir (default true). */
  jetstream?: boolean;
  /** Listen on this port; default: a free one. */
  port?: number;
  /** How long to wait for the server to accept connections (default 10000 ms). */
  readyTimeoutMs?: number;
}

export interface NatsServerHandle {
  /** nats://127.0.0.1:<port> */
  url: string;
  port: number;
  /** JetStream store; kept across restart(), removed when the test process exits. */
  storeDir: string;
  /** Kills the server (SIGTERM, then SIGKILL) and waits until it is gone. Idempotent. */
  stop(): Promise<void>;
  /** Stops (if running) and starts again on the same port with the same store. */
  restart(): Promise<void>;
  /** The server's log so far (all runs). */
  output(): string;
}

const STOP_GRACE_MS = 3000;

/**
 * A real nats-server for a test: free port, temp store dir, resolved once it
 * accepts client connections. The binary is $NATS_SERVER_BIN, else
 * `nats-server` on PATH, else /usr/sbin or /usr/local/bin.
 */
export async function startNatsServer(opts: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = findNatsServer();
  const jetstream = opts.jetstream ?? true;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 10_000;
  const storeDir = mkdtempSync(join(tmpdir(), "weir-nats-"));
  trackDir(storeDir);
  const log: string[] = [];

  const launch = async (port: number): Promise<Spawned> => {
    const args = ["-a", "127.0.0.1", "-p", String(port), ...(jetstream ? ["-js", "-sd", storeDir] : [])];
    const sp = spawnTracked(binary, args, { onLine: (l) => log.push(l) });
    await waitUntilAccepting(sp, port, readyTimeoutMs);
    return sp;
  };

  let port = opts.port ?? (await freePort());
  let current: Spawned | undefined;
  // A free port can be taken between freePort() and the bind; retry with
  // another one unless the caller asked for a specific port.
  for (let attempt = 1; ; attempt++) {
    try {
      current = await launch(port);
      break;
    } catch (err) {
      const portClash = log.some((l) => l.includes("address already in use"));
      if (opts.port !== undefined || !portClash || attempt >= 3) {
        rmSync(storeDir, { recursive: true, force: true });
        throw err;
      }
      log.length = 0;
      port = await freePort();
    }
  }

  const stop = async (): Promise<void> => {
    const sp = current;
    current = undefined;
    if (sp !== undefined) await terminate(sp, STOP_GRACE_MS);
  };

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop,
    restart: async () => {
      await stop();
      current = await launch(port);
    },
    output: () => log.join("\n"),
  };
}

function findNatsServer(): string {
  const fromEnv = process.env["NATS_SERVER_BIN"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter), "/usr/sbin", "/usr/local/bin"];
  for (const dir of dirs) {
    if (dir === "") continue;
    const candidate = join(dir, "nats-server");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    "nats-server not found: install it (https://github.com/nats-io/nats-server/releases) " +
      "or set NATS_SERVER_BIN to its path",
  );
}

/**
 * Ready means this server logged "Server is ready" (so a server already on the
 * port cannot be mistaken for ours) and a client connection gets its INFO line.
 * The listener starts after JetStream is up, so this also covers JetStream.
 */
async function waitUntilAccepting(
  sp: Spawned,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const log = (): string => sp.lines.join("\n");
  let exit: string | undefined;
  void sp.exited.then((info) => {
    exit = describeExit(info);
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit !== undefined) {
      throw new Error(`nats-server on port ${port} ${exit} before it was ready:\n${log()}`);
    }
    if (sp.lines.some((l) => l.includes("Server is ready")) && (await sendsInfo(port))) return;
    await sleep(20);
  }
  await terminate(sp, 0);
  throw new Error(`nats-server on port ${port} did not accept connections within ${timeoutMs} ms:\n${log()}`);
}

function sendsInfo(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: "127.0.0.1", port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (chunk) => done(chunk.toString("utf8").startsWith("INFO")));
  });
}
