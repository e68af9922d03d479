// Incremental Server-Sent Events decoder for upstream streams. It sits on the hot path of every streamed
// token, so it works on decoded strings with indexOf (no regex per line, no per-line arrays) and reports
// each event through a callback instead of building event objects.

/** Called once per dispatched event; `event` is the `event:` field or undefined for the default type. */
export type SseEventHandler = (data: string, event: string | undefined) => void;

const CR = "\r";
const CRLF_OR_CR = /\r\n?/g;

export class SseDecoder {
  private rest = "";
  private skipLf = false;
  private data = "";
  private hasData = false;
  private event: string | undefined = undefined;
  private readonly onEvent: SseEventHandler;

  constructor(onEvent: SseEventHandler) {
    this.onEvent = onEvent;
  }

  /** Feeds decoded text (use a streaming UTF-8 decoder, e.g. `readable.setEncoding("utf8")`). */
  push(text: string): void {
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    let buf = this.rest.length === 0 ? text : this.rest + text;
    this.rest = "";
    if (buf.includes(CR)) {
      // A CR ends a line by itself; when it is the last character the LF of a CRLF may open the next
      // chunk, and must not count as a second (event-dispatching) line end.
      this.skipLf = buf.endsWith(CR);
      buf = buf.replace(CRLF_OR_CR, "\n");
    }
    this.consume(buf);
  }

  /** Characters held for an event not yet complete: lets a caller bound a stream that never ends a line. */
  get pending(): number {
    return this.rest.length + this.data.length;
  }

  /** Ends the stream. An event not closed by a blank line is still dispatched: some upstreams end
   *  without the final blank line, and their last event would otherwise be lost. */
  end(): void {
    const last = this.rest;
    this.rest = "";
    this.skipLf = false;
    if (last.length > 0) this.line(last);
    this.dispatch();
  }

  private consume(buf: string): void {
    let start = 0;
    let nl = buf.indexOf("\n", start);
    while (nl !== -1) {
      if (nl === start) this.dispatch();
      else this.line(buf.slice(start, nl));
      start = nl + 1;
      nl = buf.indexOf("\n", start);
    }
    if (start < buf.length) this.rest += buf.slice(start);
  }

  private line(line: string): void {
    // Fast path: nearly every line an LLM server sends is "data: {...}".
    if (line.startsWith("data:")) {
      const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      if (this.hasData) this.data += "\n" + value;
      else {
        this.data = value;
        this.hasData = true;
      }
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment (keep-alive pings)
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") {
      this.data = this.hasData ? this.data + "\n" + value : value;
      this.hasData = true;
    }
    // id and retry matter for browser reconnection only; an upstream call never reconnects.
  }

  private dispatch(): void {
    if (this.hasData) {
      const data = this.data;
      const event = this.event;
      this.data = "";
      this.hasData = false;
      this.event = undefined;
      this.onEvent(data, event);
    } else this.event = undefined;
  }
}

