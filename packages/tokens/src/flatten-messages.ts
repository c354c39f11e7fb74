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
// This is Weir's own neutral template, not Llama 3's chat template
// (`<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>`): with the Llama 3
// tokenizer a turn's header costs 5 tokens here ("<", "|", role, "|", ">\n")
// and the turn boundaries keep the prefix property for token ids too (tested in
// tokenize.test.ts). Token counts of chat prompts therefore differ from a
// real server's by a few tokens per turn.

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

/** A header line of the format: "<|" role "|>" and a newline. */
const HEADER = /<\|([A-Za-z0-9_-]+)\|>\n/y;
/** Where a message's content ends: a newline before the next header. */
const NEXT_HEADER = /\n<\|[A-Za-z0-9_-]+\|>\n/g;

/**
 * The turns of a string written by flattenMessages, or undefined when the
 * string is not in that format (it must start with a header and end with a
 * newline). The inverse of flattenMessages for roles made of letters, digits,
 * "_" and "-", as long as no content itself contains a newline followed by a
 * header line: such content is read as two turns.
 */
export function parseFlattenedMessages(text: string): ChatTurn[] | undefined {
  const turns: ChatTurn[] = [];
  let at = 0;
  while (at < text.length) {
    HEADER.lastIndex = at;
    const header = HEADER.exec(text);
    if (header === null) return undefined;
    const start = HEADER.lastIndex;
    NEXT_HEADER.lastIndex = start; // content may be empty: "<|a|>\n\n<|b|>\n"
    const next = NEXT_HEADER.exec(text);
    const end = next === null ? text.length - 1 : next.index;
    if (end < start || text.charCodeAt(end) !== 0x0a) return undefined;
    turns.push({ role: header[1] as string, content: text.slice(start, end) });
    at = end + 1;
  }
  return turns;
}
