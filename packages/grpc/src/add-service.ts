import type * as grpc from "@grpc/grpc-js";
import type { DescMessage, DescService } from "@bufbuild/protobuf";
import { decoder, encoder, lenientDecoder, passThrough } from "./codec.js";
import { methodPath } from "./method-path.js";
import { streamHandler, type StreamImpl } from "./stream-handler.js";
import { methodTrace } from "./tracing.js";
import { unaryHandler, type UnaryImpl } from "./unary-handler.js";

/** The handler type of one method, from its descriptor. */
export type MethodImpl<M> = M extends { methodKind: "unary"; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? UnaryImpl<I, O>
  : M extends { methodKind: "server_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? StreamImpl<I, O>
    : never;

/** One handler per method of a service, by the method's localName (e.g. generateTokens). */
export type ServiceImpl<S extends DescService> = { [K in keyof S["method"]]: MethodImpl<S["method"][K]> };

/**
 * Serves every method of a protobuf-es service on a grpc-js server. The
 * definition and handlers are built here, once; a call only runs them.
 * Throws on a missing handler or a client/bidi streaming method.
 */
export function addService<S extends DescService>(server: grpc.Server, service: S, impl: ServiceImpl<S>): void {
  // grpc-js types definitions loosely (any); the handlers below are the typed side.
  const definition: Record<string, grpc.ServiceDefinition[string]> = {};
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const method of service.methods) {
    const fn: unknown = (impl as Record<string, unknown>)[method.localName];
    if (typeof fn !== "function") {
      throw new TypeError(`addService(${service.typeName}): no handler for ${method.localName}`);
    }
    const bound = fn.bind(impl) as never; // the handler may be a method of a class instance
    const t = methodTrace(service, method);
    switch (method.methodKind) {
      case "unary":
        handlers[method.localName] = unaryHandler(method.input, method.output, bound, t);
        break;
      case "server_streaming":
        handlers[method.localName] = streamHandler(method.input, method.output, bound, t);
        break;
      default:
        throw new TypeError(
          `addService(${service.typeName}): ${method.name} is ${method.methodKind}; only unary and server_streaming methods are supported`,
        );
    }
    definition[method.localName] = {
      path: methodPath(service, method),
      requestStream: false,
      responseStream: method.methodKind === "server_streaming",
      requestSerialize: encoder(method.input),
      requestDeserialize: lenientDecoder(method.input),
      responseSerialize: passThrough,
      responseDeserialize: decoder(method.output),
      originalName: method.localName,
    };
  }
  server.addService(definition, handlers);
}
