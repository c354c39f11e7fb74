import { startNatsServer, type NatsServerHandle, type StartNatsServerOptions } from "@weir/testkit";
import { connectBus, type Bus } from "../connect.js";

/** A nats-server plus connections to it, all closed by dispose() (call it from afterAll). */
export interface NatsFixture {
  server: NatsServerHandle;
  connect(name: string): Promise<Bus>;
  dispose(): Promise<void>;
}

export async function natsFixture(opts: StartNatsServerOptions = { jetstream: false }): Promise<NatsFixture> {
  const server = await startNatsServer(opts);
  const buses: Bus[] = [];
  return {
    server,
    async connect(name) {
      const bus = await connectBus({ name, url: server.url });
      buses.push(bus);
      return bus;
    },
    async dispose() {
      await Promise.allSettled(buses.map((b) => b.close()));
      await server.stop();
    },
  };
}
