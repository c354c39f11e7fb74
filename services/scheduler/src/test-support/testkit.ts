// The testkit's real nats-server, for this service's tests. Imported by path
// because @weir/testkit is not (yet) a devDependency of this package; once it
// is, import from "@weir/testkit" and delete this file.
export { startNatsServer, waitFor, type NatsServerHandle } from "../../../../packages/testkit/dist/index.js";
