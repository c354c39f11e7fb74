// One streamed chat completion against the gateway, timed from the client:
// fetch + SSE parsing (@weir/cli does not depend on the `openai` client).
// The cascade's summary (answering tier, escalation, cost) rides on the
// stream's last chunk as `weir`; usage comes with stream_options.include_usage.
// Nothing here throws: an HTTP error, a broken stream or the deadline comes
// back as `error`, so every request is answered or counted, never dropped.

import { performance } from "node:perf_hooks";
import type { ChatTurn } from "@weir/tokens";

export interface ChatOutcome {
  /** HTTP status; 0 when no response came (connection refused, deadline before the head). */
  status: number;
  /** Why the request did not complete; undefined when it did. */
  error?: string;
  /** Wall ms from the send to the first content token / the last content token / the stream's end. */
  firstTokenMs?: number;
  lastTokenMs?: number;
  endMs: number;
  text: string;
  completionTokens?: number;
  promptTokens?: number;
  /** The tier that answered, and the tiers it visited (from the `weir` summary). */
  tier?: string;
  path?: string[];
  escalated?: boolean;
  costUsd?: number;
}

interface WeirChunk {
  choices?: { delta?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  weir?: { tier?: string; path?: { tier: string }[]; escalated?: boolean; cost_usd?: number };
  error?: { message?: string; type?: string; code?: string | number };
}

export async function streamChat(baseUrl: string, messages: readonly ChatTurn[], deadlineMs: number): Promise<ChatOutcome> {
  const t0 = performance.now();
  const since = (): number => performance.now() - t0;
  const out: ChatOutcome = { status: 0, endMs: 0, text: "" };
  try {
    const res = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "weir-auto", messages, stream: true, stream_options: { include_usage: true } }),
      signal: AbortSignal.timeout(deadlineMs),
    });
    out.status = res.status;
    if (res.status !== 200 || res.body === null) {
      const body = await res.text().catch(() => "");
      out.error = `HTTP ${res.status}: ${errorMessage(body)}`;
      return out;
    }
    const decoder = new TextDecoder();
    let buffer = "";
    let done = false;
    for await (const bytes of res.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(bytes, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        for (const line of event.split("\n")) {
          if (!line.startsWith("data:")) continue;
          const data = line.slice(5).trim();
          if (data === "[DONE]") {
            done = true;
            continue;
          }
          absorb(out, JSON.parse(data) as WeirChunk, since());
        }
      }
    }
    if (out.error === undefined && !done) out.error = "the stream ended without [DONE]";
    if (out.error === undefined && out.tier === undefined) out.error = "the stream carried no weir summary (answering tier unknown)";
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    out.error =
      name === "TimeoutError" || name === "AbortError"
        ? `no complete answer within the client deadline of ${Math.round(deadlineMs)} ms`
        : `request failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    out.endMs = since();
  }
  return out;
}

function absorb(out: ChatOutcome, chunk: WeirChunk, atMs: number): void {
  if (chunk.error !== undefined) {
    out.error = `error in the stream: ${chunk.error.message ?? JSON.stringify(chunk.error)}`;
    return;
  }
  const text = chunk.choices?.[0]?.delta?.content ?? "";
  if (text !== "") {
    out.firstTokenMs ??= atMs;
    out.lastTokenMs = atMs;
    out.text += text;
  }
  if (chunk.usage) {
    if (chunk.usage.completion_tokens !== undefined) out.completionTokens = chunk.usage.completion_tokens;
    if (chunk.usage.prompt_tokens !== undefined) out.promptTokens = chunk.usage.prompt_tokens;
  }
  if (chunk.weir) {
    if (chunk.weir.tier !== undefined) out.tier = chunk.weir.tier;
    if (chunk.weir.path !== undefined) out.path = chunk.weir.path.map((s) => s.tier);
    if (chunk.weir.escalated !== undefined) out.escalated = chunk.weir.escalated;
    if (chunk.weir.cost_usd !== undefined) out.costUsd = chunk.weir.cost_usd;
  }
}

/** The OpenAI error body's message, or the raw body (shortened). */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // not JSON: the raw text says it
  }
  return body.slice(0, 200) || "(empty body)";
}
