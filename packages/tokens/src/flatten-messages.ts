// How chat turns become one prompt string. Workers tokenize it, the judge reads
// it and the scheduler hashes its blocks for prefix matching: every component
// must flatten the same way, or the same conversation would hash to different
// blocks on different hops. Hence one function, here.
//
// Format, per message in order:   "<|" + role + "|>\n" + content + "\n"
// e.g. [{role:"system",content:"Be brief."},{role:"user",content:"Hi"}] →
//   "<|system|>\nBe brief.\n<|user|>\nHi\n"
// Each message only appends, so a conversation that grows by a turn keeps the
// earlier turns as a prefix of its string, and of its token ids and block
// hashes: that is what lets a multi-turn chat reuse its cached KV blocks.
// This is Weir's own neutral template (no model's real chat template), which
// is fine while the tokenizer is a placeholder too.

/** One chat turn; structurally compatible with weir.v1.ChatMessage. */
export interface ChatTurn {
  readonly role: string;
  readonly content: string;
}

/** The prompt string for a conversation; see the format above. */
export function flattenMessages(messages: readonly ChatTurn[]): string {
  let out = "";
  for (const m of messages) out += `<|${m.role}|>\n${m.content}\n`;
  return out;
}
