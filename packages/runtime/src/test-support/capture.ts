import { Writable } from "node:stream";

/** A destination that keeps every line written to it. */
export function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    lines: () =>
      text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
