/** One server-sent event: its type ("message" unless an `event:` line said otherwise) and data. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * An incremental parser of the text/event-stream format (WHATWG HTML,
 * "Server-sent events"): feed it the bytes as they arrive, get back the
 * events they complete. Lines end in \n, \r\n or \r, even when a network read
 * splits them (or a multi-byte character) in two; `data:` lines of one event
 * are joined with \n; comments (`:`), `id:` and `retry:` are skipped.
 *
 * It also counts lines that are not SSE at all (no known field), so the
 * caller can tell a server that answers something else from one that is
 * merely slow.
 */
export class SseParser {
  readonly #decoder = new TextDecoder();
  #pending = "";
  #data: string[] = [];
  #event = "";
  /** True when the previous chunk ended in \r: a \n opening the next one belongs to it. */
  #skipLf = false;
  #foreignLine: string | undefined;

  /** The first line that was not SSE, if any (for error messages). */
  get foreignLine(): string | undefined {
    return this.#foreignLine;
  }

  push(bytes: Uint8Array): SseEvent[] {
    return this.#lines(this.#decoder.decode(bytes, { stream: true }));
  }

  /**
   * The stream ended: an event still missing its closing blank line is
   * dispatched all the same (some servers omit it after the last event).
   */
  end(): SseEvent[] {
    const events = this.#lines(this.#decoder.decode());
    if (this.#pending !== "") this.#line(this.#pending, events);
    this.#pending = "";
    this.#dispatch(events);
    return events;
  }

  #lines(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let s = this.#pending + text;
    if (this.#skipLf && s.startsWith("\n")) s = s.slice(1);
    this.#skipLf = false;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line(s.slice(start, i), events);
      if (c === 13) {
        if (i + 1 === s.length) this.#skipLf = true;
        else if (s.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#pending = s.slice(start);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === "") {
      this.#dispatch(events);
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.#data.push(value);
        return;
      case "event":
        this.#event = value;
        return;
      case "id":
      case "retry":
        return;
      default:
        this.#foreignLine ??= line;
    }
  }

  #dispatch(events: SseEvent[]): void {
    if (this.#data.length > 0) events.push({ event: this.#event === "" ? "message" : this.#event, data: this.#data.join("\n") });
    this.#data = [];
    this.#event = "";
  }
}
