import type { IncomingHttpHeaders } from "node:http";
import { WeirError } from "@weir/errors";
import { StreamingPolicy, type GenerationInput } from "@weir/proto";

/** The x-weir-* request headers a client may set to steer one request. */
export const TARGET_HEADERS = {
  minQuality: "x-weir-min-quality",
  maxCost: "x-weir-max-cost",
  streaming: "x-weir-streaming",
  conversation: "x-weir-conversation-id",
} as const;

/** What the headers set on the cascade input (only what was sent). */
export type HeaderTargets = Partial<Pick<GenerationInput, "minQuality" | "maxCostUsd" | "streamingPolicy" | "conversationId">>;

/** A conversation id: an opaque client token, bounded so it cannot bloat state keys. */
const CONVERSATION_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

// Plain decimals (and exponents): not hex, not "Infinity", not "".
const DECIMAL = /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads the per-request targets and streaming policy from the headers. A
 * malformed or out-of-range value, or one header sent twice with different
 * values, is a 400 naming the header: Weir must not guess which target a
 * client meant. A target that is merely hard to meet is not an error here;
 * the router plans anyway and says why in x-weir-targets-note.
 */
export function headerTargets(headers: IncomingHttpHeaders): HeaderTargets {
  const out: HeaderTargets = {};
  const q = single(headers, TARGET_HEADERS.minQuality);
  if (q !== undefined) {
    const v = decimal(q, TARGET_HEADERS.minQuality, "a quality from 0 to 1, e.g. 0.8");
    if (v > 1) {
      throw WeirError.invalidArgument(
        `${TARGET_HEADERS.minQuality} is ${q}, above 1: send an expected quality from 0 to 1, e.g. 0.8`,
        TARGET_HEADERS.minQuality,
      );
    }
    out.minQuality = v;
  }
  const c = single(headers, TARGET_HEADERS.maxCost);
  if (c !== undefined) {
    const v = decimal(c, TARGET_HEADERS.maxCost, "a cost in US dollars, e.g. 0.002");
    if (v === 0) {
      throw WeirError.invalidArgument(
        `${TARGET_HEADERS.maxCost} is 0: no generation is free; send a cost in US dollars greater than 0, or leave the header out`,
        TARGET_HEADERS.maxCost,
      );
    }
    out.maxCostUsd = v;
  }
  const s = single(headers, TARGET_HEADERS.streaming);
  if (s !== undefined) {
    const policy = s.toLowerCase();
    if (policy === "buffered") out.streamingPolicy = StreamingPolicy.BUFFERED;
    else if (policy === "early") out.streamingPolicy = StreamingPolicy.EARLY;
    else {
      throw WeirError.invalidArgument(
        `${TARGET_HEADERS.streaming} is "${s}": use buffered (hold a judged answer until it is accepted) or early (judge its first tokens, then stream)`,
        TARGET_HEADERS.streaming,
      );
    }
  }
  const conversation = single(headers, TARGET_HEADERS.conversation);
  if (conversation !== undefined) {
    if (!CONVERSATION_ID.test(conversation)) {
      throw WeirError.invalidArgument(
        `${TARGET_HEADERS.conversation} must be 1 to 128 characters of letters, digits and . _ : @ - (got ${JSON.stringify(conversation.slice(0, 40))})`,
        TARGET_HEADERS.conversation,
      );
    }
    out.conversationId = conversation;
  }
  return out;
}

/** One header's value; node joins a repeated x- header with ", ", and repeats must agree. */
function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(",")).map((v) => v.trim());
  const distinct = [...new Set(values)];
  if (distinct.length > 1) {
    throw WeirError.invalidArgument(
      `${name} was sent more than once with conflicting values (${distinct.join(", ")}): send it once`,
      name,
    );
  }
  return distinct[0] ?? "";
}

function decimal(text: string, name: string, expected: string): number {
  const v = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(v)) {
    throw WeirError.invalidArgument(`${name} is "${text}", which is not a number: send ${expected}`, name);
  }
  return v;
}
