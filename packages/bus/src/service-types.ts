import type { DescMethod, DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";

/** The local names ("plan") of a service's unary methods. */
export type UnaryMethodName<S extends DescService> = {
  [K in keyof S["method"]]: S["method"][K]["methodKind"] extends "unary" ? K : never;
}[keyof S["method"]];

/** The request message a method's handler receives. */
export type RequestOf<M extends DescMethod> = MessageShape<M["input"]>;
/** What a handler may return: the reply message or its init shape. */
export type ReplyInitOf<M extends DescMethod> = MessageInitShape<M["output"]>;
/** The decoded reply a client receives. */
export type ReplyOf<M extends DescMethod> = MessageShape<M["output"]>;
/** What a client call accepts. */
export type RequestInitOf<M extends DescMethod> = MessageInitShape<M["input"]>;
