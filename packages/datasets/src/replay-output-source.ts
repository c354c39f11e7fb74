import type { ReplayIndex } from "./replay-index.js";

/** What a simulated engine writes for a prompt: a text, or undefined to let the engine make one up. */
export type OutputSource = (prompt: string) => string | undefined;

/**
 * An OutputSource that replays `index`'s recorded answers: the answer when the
 * prompt (or a flattened chat's last user message) is a dataset question, else
 * `fallback(prompt)`, else undefined.
 */
export function createReplayOutputSource(index: ReplayIndex, fallback?: OutputSource): OutputSource {
  return (prompt) => index.lookup(prompt)?.response ?? fallback?.(prompt);
}
