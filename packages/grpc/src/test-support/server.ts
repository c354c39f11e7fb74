import type * as grpc from "@grpc/grpc-js";
import { createGrpcServer, listen, shutdown } from "../server.js";

export interface TestServer {
  readonly server: grpc.Server;
  readonly address: string;
  stop(): Promise<void>;
}

/** A real grpc-js server on 127.0.0.1:0, set up by `setup` before it binds. */
export async function startServer(setup: (server: grpc.Server) => void): Promise<TestServer> {
  const server = createGrpcServer();
  setup(server);
  const port = await listen(server, "127.0.0.1:0");
  return { server, address: `127.0.0.1:${port}`, stop: () => shutdown(server, 200) };
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Sleeps, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Rejects when `promise` does not settle within `ms` (a hung call fails the test, not the run). */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms).unref()),
  ]);
}

/** The rejection of `promise` (fails when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}
