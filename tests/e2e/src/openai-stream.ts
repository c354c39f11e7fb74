import type OpenAI from "openai";

export interface CollectedChatStream {
  text: string;
  chunks: number;
  usage: OpenAI.CompletionUsage | null | undefined;
}

/** Reads an OpenAI chat stream to the end: the concatenated text, how many chunks, the usage chunk. */
export async function collectChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<CollectedChatStream> {
  const out: CollectedChatStream = { text: "", chunks: 0, usage: undefined };
  for await (const chunk of stream) {
    out.chunks++;
    out.text += chunk.choices[0]?.delta.content ?? "";
    if (chunk.usage) out.usage = chunk.usage;
  }
  return out;
}
