/**
 * A prompt with every run of whitespace made one space and both ends trimmed:
 * the form that row ids are hashed from and that replay lookups compare, so
 * that "What is  2+2?\n" and "What is 2+2?" are the same question.
 */
export function normalizePrompt(prompt: string): string {
  return prompt.replace(/\s+/g, " ").trim();
}
