// @weir/bus: NATS plumbing — connection, typed protobuf request/reply on the
// @nats-io/services framework, pub/sub, JetStream streams, trace headers.
export { connectBus, type Bus, type BusStatus, type ConnectBusOptions } from "./connect.js";
export { KV_EVENTS_STREAM, ServicePrefix, Subjects } from "./subjects.js";
export { methodSubject } from "./method-subject.js";
export {
  CURRENT_PLAN_KEY,
  DEPLOYMENT_BUCKET,
  openDeploymentPlans,
  type DeploymentPlan,
  type DeploymentPlanInit,
  type DeploymentPlanStore,
} from "./deployment-plan.js";
export { QE_THRESHOLDS_BUCKET, openQeThresholds, type QeThresholdStore } from "./qe-thresholds.js";
export {
  serveService,
  type HandlerContext,
  type ServedService,
  type ServiceDefinition,
  type ServiceHandlers,
} from "./serve-service.js";
export {
  createServiceClient,
  type CallOptions,
  type ServiceClient,
  type ServiceClientOptions,
} from "./service-client.js";
export type { ReplyInitOf, ReplyOf, RequestInitOf, RequestOf, UnaryMethodName } from "./service-types.js";
export { publishProto } from "./publish.js";
export { subscribeProto, type MessageContext, type ProtoSubscription, type SubscribeOptions } from "./subscribe.js";
export { ensureStream, type StreamSpec } from "./ensure-stream.js";
export { extractTraceContext, injectTraceHeaders } from "./trace-headers.js";
export {
  INSTANCES_BUCKET,
  KV_SNAPSHOTS_STORE,
  PLACEMENT_PLANS_BUCKET,
  instanceKey,
  openInstanceDirectory,
  type InstanceDirectory,
  type InstanceWatchHandlers,
} from "./instance-directory.js";
export {
  CONVERSATIONS_BUCKET,
  MAX_STORED_TURNS,
  conversationKey,
  nextConversationKey,
  openConversationStore,
  type ConversationState,
  type ConversationStore,
  type KeyMessage,
  type StoredTurn,
} from "./conversation-state.js";
