// Server-Sent Events framing for the gateway's own streams. Callers serialise with JSON.stringify and
// frame with these; a JSON string never holds a raw newline, so one `data:` line per event is enough.

const NEWLINES = /[\r\n]+/g;

/** The terminator OpenAI-compatible clients wait for. */
export const SSE_DONE = "data: [DONE]\n\n";

/** Frames one already-serialised JSON payload as an SSE event. */
export function sseData(json: string): string {
  return "data: " + json + "\n\n";
}

/** A named event (Anthropic-style streams name every event). */
export function sseEvent(event: string, json: string): string {
  return "event: " + event + "\ndata: " + json + "\n\n";
}

/** A comment line: keeps idle connections alive through proxies without producing an event. */
export function sseComment(text: string): string {
  return ": " + text.replace(NEWLINES, " ") + "\n\n";
}
