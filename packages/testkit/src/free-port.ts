import { createServer } from "node:net";

/**
 * A TCP port that was free a moment ago on 127.0.0.1. The OS picks it (listen
 * on port 0), so parallel test files do not collide the way fixed ports do;
 * there is still a small window before the caller binds it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
