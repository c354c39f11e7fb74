import type { ChatTurn } from "@weir/tokens";

const TURN = /<\|([a-z_]+)\|>\n/g;

/**
 * The text the router and the judge cluster on: the last user message, as
 * the training data's prompts are single user questions. The router gets the
 * chat messages; the judge gets the prompt flattened by @weir/tokens
 * flattenMessages ("<|user|>\n…\n"), which this undoes, so both see the same text.
 */
export function queryText(messages: readonly ChatTurn[], prompt: string): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === "user") return messages[i]!.content;
  if (messages.length > 0) return messages[messages.length - 1]!.content;
  return lastUserTurn(prompt);
}

/** The last user turn of a flattened prompt, or the prompt itself when it is not flattened. */
export function lastUserTurn(prompt: string): string {
  if (!prompt.startsWith("<|")) return prompt;
  let lastUser: string | undefined;
  let lastAny: string | undefined;
  const marks = [...prompt.matchAll(TURN)];
  marks.forEach((m, i) => {
    const start = m.index + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index : prompt.length;
    // flattenMessages appends "\n" after each content.
    const content = prompt.slice(start, end).replace(/\n$/, "");
    lastAny = content;
    if (m[1] === "user") lastUser = content;
  });
  return lastUser ?? lastAny ?? prompt;
}
