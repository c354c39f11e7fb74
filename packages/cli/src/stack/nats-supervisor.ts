import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where nats-server usually lives when PATH does not have it (Debian puts it in /usr/sbin). */
const EXTRA_BIN_DIRS = ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin"];

export const NATS_INSTALL_HELP = [
  "Weir needs a NATS server (with JetStream) and found none.",
  "Either point NATS_URL at a running one, or install nats-server:",
  "  Debian/Ubuntu:  sudo apt-get install nats-server",
  "  macOS:          brew install nats-server",
  "  any OS:         go install github.com/nats-io/nats-server/v2@latest",
  "then run `npm start` again.",
].join("\n");

/** True when something at host:port answers with a NATS INFO line within the timeout. */
export function natsReachable(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^nats:/, "http:"));
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 4222) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (data) => done(data.toString("utf8").startsWith("INFO")));
  });
}

export function findNatsServer(): string | undefined {
  const which = spawnSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  for (const dir of EXTRA_BIN_DIRS) {
    const candidate = join(dir, "nats-server");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalNats {
  url: string;
  /** The child we started, or undefined when an existing server is used. */
  child: ChildProcess | undefined;
  stop(): Promise<void>;
}

/**
 * Uses the NATS at `url` when it answers; otherwise starts `nats-server -js`
 * from PATH with a temporary store (on the URL's port when free). Throws an
 * Error whose message says how to install nats-server when there is none.
 */
export async function ensureNats(url: string): Promise<LocalNats> {
  if (await natsReachable(url)) return { url, child: undefined, stop: async () => {} };
  const bin = findNatsServer();
  if (!bin) throw new Error(NATS_INSTALL_HELP);
  const wantedPort = Number(new URL(url.replace(/^nats:/, "http:")).port || 4222);
  const port = (await portFree(wantedPort)) ? wantedPort : await anyFreePort();
  const storeDir = mkdtempSync(join(tmpdir(), "weir-nats-"));
  const child = spawn(bin, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const localUrl = `nats://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await natsReachable(localUrl, 300))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`nats-server (${bin}) did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: localUrl,
    child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
