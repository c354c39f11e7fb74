export { WeirError, isWeirError, toWeirError, type WeirErrorOptions } from "./weir-error.js";
export {
  GrpcStatus,
  codeFromGrpcStatus,
  codeFromHttpStatus,
  codeName,
  grpcStatusOf,
  httpStatusOf,
  openAiTypeOf,
} from "./code-map.js";
export { decodeErrorInfo, encodeErrorInfo, fromErrorInfo, toErrorInfo } from "./error-info.js";
export { ErrorCode } from "@weir/proto";
