import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type ClientOptions } from "./client.js";

/**
 * One client per (service, address), made on first use. The gateway calls
 * many workers by the address in their heartbeats; a channel per call would
 * pay a connection each time.
 */
export class ClientPool {
  readonly #opts: ClientOptions;
  // address → service typeName → client
  readonly #clients = new Map<string, Map<string, Client<DescService>>>();

  constructor(opts: ClientOptions = {}) {
    this.#opts = opts;
  }

  get<S extends DescService>(service: S, address: string): Client<S> {
    let byService = this.#clients.get(address);
    if (byService === undefined) {
      byService = new Map();
      this.#clients.set(address, byService);
    }
    let client = byService.get(service.typeName);
    if (client === undefined) {
      client = createClient(service, address, this.#opts) as Client<DescService>;
      byService.set(service.typeName, client);
    }
    return client as Client<S>;
  }

  /** Closes the clients of one address (a worker that left); later get() calls reconnect. */
  remove(address: string): void {
    const byService = this.#clients.get(address);
    if (byService === undefined) return;
    this.#clients.delete(address);
    for (const client of byService.values()) client.close();
  }

  /** Closes every client; the pool may be used again afterwards. */
  close(): void {
    for (const address of [...this.#clients.keys()]) this.remove(address);
  }

  get size(): number {
    let n = 0;
    for (const byService of this.#clients.values()) n += byService.size;
    return n;
  }
}
