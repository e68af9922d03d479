// Putting values back in place of placeholders: whole texts, and streams of deltas where a placeholder may
// be cut anywhere. The stream restorer holds back only the suffix that could still become a placeholder
// of this conversation (an opening bracket plus a known label's prefix, or a bare known label), so text
// flows through with no delay otherwise, and its output equals the whole-text restore however the stream
// is cut: both use the same parser, which reports "partial" instead of guessing at the end of a chunk.
import { OPENERS, parsePlaceholder } from "./placeholder.js";
import type { PseudonymTable } from "./pseudonym-table.js";

/** `text` for message text; `json` for tool-call arguments, where values are escaped as JSON string content. */
export type RestoreMode = "text" | "json";

/** Escapes what would break a JSON string; keeps backslashes that already start a valid escape. */
export function jsonStringContent(value: string): string {
  return value.replace(/["\u0000-\u001f]|\\(?!["\\/bfnrtu])/g, (c) => {
    if (c === '"') return '\\"';
    if (c === "\\") return "\\\\";
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

interface Step {
  out: string;
  /** Index where held-back text starts (buffer length when nothing is held). */
  held: number;
}

function restoreStep(buf: string, prev: number, table: PseudonymTable, final: boolean, mode: RestoreMode): Step {
  const labels = table.labels();
  let out = "";
  let last = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (!OPENERS.includes(c) && !labels.firstChars.has(c)) continue;
    const r = parsePlaceholder(buf, i, labels, final, i > 0 ? buf.charCodeAt(i - 1) : prev);
    if (r.status === "partial") return { out: out + buf.slice(last, i), held: i };
    if (r.status === "match") {
      const value = table.lookup(r.key);
      if (value === undefined) continue;
      out += buf.slice(last, i) + (mode === "json" ? jsonStringContent(value) : value);
      last = r.end;
      i = r.end - 1;
    }
  }
  return { out: out + buf.slice(last), held: buf.length };
}

export function restoreText(text: string, table: PseudonymTable, mode: RestoreMode = "text"): string {
  if (table.size === 0) return text;
  return restoreStep(text, Number.NaN, table, true, mode).out;
}

/** Restores one stream of text deltas (one field of one choice, or one tool call's arguments). */
export class TextRestorer {
  private pending = "";
  private prev = Number.NaN;

  constructor(
    private readonly table: PseudonymTable,
    private readonly mode: RestoreMode = "text",
  ) {}

  push(delta: string): string {
    if (this.table.size === 0) return delta;
    const buf = this.pending + delta;
    const step = restoreStep(buf, this.prev, this.table, false, this.mode);
    if (step.held > 0) this.prev = buf.charCodeAt(step.held - 1);
    this.pending = buf.slice(step.held);
    return step.out;
  }

  /** The held-back text, restored as final. Call once at the end of the stream. */
  flush(): string {
    if (this.pending === "") return "";
    const out = restoreStep(this.pending, this.prev, this.table, true, this.mode).out;
    this.pending = "";
    return out;
  }

  get holding(): boolean {
    return this.pending !== "";
  }
}
