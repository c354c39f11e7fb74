import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";

/**
 * What a server-side deserializer returns when the bytes are not a valid
 * message. grpc-js turns a throwing deserializer into INTERNAL; returning
 * this marker instead lets the handler answer INVALID_ARGUMENT, which is
 * what a malformed request is.
 */
export class UndecodableRequest {
  constructor(readonly cause: unknown) {}

  /** The INVALID_ARGUMENT answer to it. */
  toError(input: DescMessage): WeirError {
    const reason = this.cause instanceof Error ? this.cause.message : String(this.cause);
    return new WeirError(
      ErrorCode.INVALID_ARGUMENT,
      `request is not a valid ${input.typeName} (${reason}); check that client and server use the same weir.v1 contracts`,
      { cause: this.cause },
    );
  }
}

/** A Buffer view of protobuf bytes, without copying (grpc-js wants Buffers). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Encodes a message or its init shape (create() returns a message as is). */
export function encode<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Buffer {
  return asBuffer(toBinary(schema, create(schema, init)));
}

export function encoder<Desc extends DescMessage>(schema: Desc): (init: MessageInitShape<Desc>) => Buffer {
  return (init) => encode(schema, init);
}

/** A throwing decoder: for the client, where grpc-js maps the throw to INTERNAL. */
export function decoder<Desc extends DescMessage>(schema: Desc): (bytes: Buffer) => MessageShape<Desc> {
  return (bytes) => fromBinary(schema, bytes);
}

/** A decoder that never throws: for the server (see UndecodableRequest). */
export function lenientDecoder<Desc extends DescMessage>(
  schema: Desc,
): (bytes: Buffer) => MessageShape<Desc> | UndecodableRequest {
  return (bytes) => {
    try {
      return fromBinary(schema, bytes);
    } catch (err) {
      return new UndecodableRequest(err);
    }
  };
}

/** Server responses are encoded by the handler (so encoding errors get a Weir status); grpc-js only passes them on. */
export function passThrough(bytes: Buffer): Buffer {
  return bytes;
}
