import type { IncomingMessage } from "node:http";
import { ErrorCode, WeirError } from "@weir/errors";

/**
 * Reads a request body of at most maxBytes. A declared Content-Length over
 * the limit is refused before reading anything; a body that grows past it is
 * refused as soon as it does, and the rest is never read (the caller closes
 * the connection rather than drain it).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onGone = (): void => {
      cleanup();
      reject(WeirError.cancelled("the client closed the connection while sending the request"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  });
}

/** The body as JSON; INVALID_ARGUMENT saying why when it is not. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw WeirError.invalidArgument(
      `could not parse the request body as JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function tooLarge(maxBytes: number): WeirError {
  return new WeirError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `the request body is larger than ${maxBytes} bytes: send a shorter conversation or prompt`,
  );
}
