import type { DescMethod, DescService } from "@bufbuild/protobuf";

/** The gRPC path of a method, as every gRPC implementation spells it: /weir.v1.WorkerService/GenerateTokens. */
export function methodPath(service: DescService, method: DescMethod): string {
  return `/${service.typeName}/${method.name}`;
}
