import type { DescMethod, DescService } from "@bufbuild/protobuf";

/** The subject a method is served on: `${prefix}.${lowerFirst(method.name)}`, e.g. weir.router.plan. */
export function methodSubject(subjectPrefix: string, method: DescMethod): string {
  return `${subjectPrefix}.${endpointName(method)}`;
}

/** The $SRV endpoint name of a method ("Plan" → "plan"). */
export function endpointName(method: DescMethod): string {
  return method.name.charAt(0).toLowerCase() + method.name.slice(1);
}

/**
 * NATS request/reply carries one request and one reply; streaming methods
 * belong on gRPC (@weir/grpc). Checked at setup so the mistake is loud.
 */
export function unaryMethods(service: DescService, what: string): DescMethod[] {
  for (const method of service.methods) {
    if (method.methodKind !== "unary") {
      throw new Error(
        `${what}: ${service.typeName}/${method.name} is ${method.methodKind}; NATS request/reply ` +
          "carries unary methods only, serve it over gRPC (@weir/grpc)",
      );
    }
  }
  return service.methods;
}
