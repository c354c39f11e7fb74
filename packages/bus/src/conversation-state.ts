import { createHash } from "node:crypto";
import { type KV, Kvm } from "@nats-io/kv";
import type { Bus } from "./connect.js";

/**
 * The NATS KV bucket holding each conversation's state (SERR-CASCADE L0/L2
 * memory): the router reads it when planning a turn, the gateway writes it
 * when a turn completes, so any replica of either can serve any turn.
 */
export const CONVERSATIONS_BUCKET = "weir_conversations";

/** One answered turn of a conversation, as stored. */
export interface StoredTurn {
  requestId: string;
  /** The user's question as asked (the router normalises when it compares, so a better normaliser applies to old state too). */
  question: string;
  /** The answer the client received. */
  answer: string;
  /** The tier that answered. */
  tier: string;
  /** The cascade escalated past its first rung (or the plan started above the cheapest tier because of an override). */
  escalated: boolean;
  /** The risk score of this turn (carried risk included); later turns decay it. */
  risk: number;
  /** The risk rules that fired on this turn. */
  riskRules: string[];
  /** Answered from state without generation (L0): it adds nothing to the conversation. */
  reused: boolean;
}

export interface ConversationState {
  turns: StoredTurn[];
}

/** A chat message as far as the conversation key is concerned. */
export interface KeyMessage {
  role: string;
  content: string;
}

/** Most turns kept per conversation: older ones matter little to reuse or decayed risk. */
export const MAX_STORED_TURNS = 32;

/**
 * The KV key a turn's state is read from. A client-given conversation id is
 * stable across turns. Without one the key is a hash of every message before
 * the last (the history the new question follows); the gateway then writes
 * the updated state under the hash of that history plus this turn's question
 * and answer (nextConversationKey), which is exactly the history the client
 * sends with its next turn. So state follows the conversation, and two
 * clients share state only when they share the whole visible history (the
 * state holds nothing they cannot already see). Undefined: a first turn
 * with no id has no state.
 */
export function conversationKey(conversationId: string, messages: readonly KeyMessage[]): string | undefined {
  if (conversationId !== "") return `id.${sha256(conversationId)}`;
  if (messages.length < 2) return undefined;
  return `h.${historyHash(messages.slice(0, -1))}`;
}

/** Where the state goes once this turn is answered (see conversationKey). */
export function nextConversationKey(conversationId: string, messages: readonly KeyMessage[], answer: string): string {
  if (conversationId !== "") return `id.${sha256(conversationId)}`;
  return `h.${historyHash([...messages, { role: "assistant", content: answer }])}`;
}

function historyHash(messages: readonly KeyMessage[]): string {
  // Trimmed: clients commonly strip the answer's surrounding whitespace before sending it back.
  return sha256(JSON.stringify(messages.map((m) => [m.role, m.content.trim()])));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface ConversationStore {
  get(key: string): Promise<ConversationState | undefined>;
  /** Appends a turn to the state at `from` (if any) and stores it under `to`. */
  append(from: string | undefined, to: string, turn: StoredTurn): Promise<void>;
}

/** Opens (creating when missing) the conversations bucket; keys expire `ttlMs` after their last put. */
export async function openConversationStore(bus: Bus, ttlMs: number): Promise<ConversationStore> {
  const kv: KV = await new Kvm(bus.nc).create(CONVERSATIONS_BUCKET, { history: 1, ttl: ttlMs });
  const get = async (key: string): Promise<ConversationState | undefined> => {
    const e = await kv.get(key);
    if (e === null || e.operation !== "PUT" || e.value.length === 0) return undefined;
    return parseState(e.string());
  };
  return {
    get,
    async append(from, to, turn) {
      const before = from === undefined ? undefined : await get(from);
      const turns = [...(before?.turns ?? []), turn].slice(-MAX_STORED_TURNS);
      await kv.put(to, JSON.stringify({ turns } satisfies ConversationState));
    },
  };
}

/** Stored state is written by this module only; anything else reads as no state rather than failing a request. */
function parseState(text: string): ConversationState | undefined {
  try {
    const v = JSON.parse(text) as Partial<ConversationState>;
    return Array.isArray(v.turns) ? { turns: v.turns } : undefined;
  } catch {
    return undefined;
  }
}
