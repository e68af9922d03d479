// Separates inline `<think>…</think>` reasoning from answer text in a stream whose chunks may cut a tag
// anywhere. A tag prefix at the end of a piece is held back until the next piece decides it; everything
// else is released at once so tokens are not delayed.

const OPEN = "<think>";
const CLOSE = "</think>";

export class ThinkSplitter {
  /** Answer text released by the last `push`/`flush`. */
  content = "";
  /** Reasoning text released by the last `push`/`flush`. */
  reasoning = "";
  private inside: boolean;
  private held = "";
  /** Whitespace right after a tag is layout, not text ("<think>\n…\n</think>\n\nAnswer"). */
  private trimNext: boolean;

  /** @param startInside true when the chat template already opened the tag (the model emits only `</think>`). */
  constructor(startInside = false) {
    this.inside = startInside;
    this.trimNext = startInside;
  }

  push(text: string): void {
    this.content = "";
    this.reasoning = "";
    const s = this.held.length === 0 ? text : this.held + text;
    this.held = "";
    let from = 0;
    let lt = s.indexOf("<");
    while (lt !== -1) {
      if (s.startsWith(OPEN, lt) || s.startsWith(CLOSE, lt)) {
        const close = s.charCodeAt(lt + 1) === 47; // "/"
        this.emit(s, from, lt);
        this.inside = !close;
        this.trimNext = true;
        from = lt + (close ? CLOSE.length : OPEN.length);
        lt = s.indexOf("<", from);
      } else if (isTagPrefix(s, lt)) {
        this.emit(s, from, lt);
        this.held = s.slice(lt);
        return;
      } else lt = s.indexOf("<", lt + 1);
    }
    this.emit(s, from, s.length);
  }

  /** Releases a held partial tag as plain text: the stream ended, so it was never a tag. */
  flush(): void {
    this.content = "";
    this.reasoning = "";
    const s = this.held;
    this.held = "";
    this.emit(s, 0, s.length);
  }

  private emit(s: string, from: number, to: number): void {
    if (to <= from) return;
    let piece = from === 0 && to === s.length ? s : s.slice(from, to);
    if (this.trimNext) {
      piece = piece.trimStart();
      if (piece.length === 0) return;
      this.trimNext = false;
    }
    if (this.inside) this.reasoning += piece;
    else this.content += piece;
  }
}

/** True when s from `at` to its end is a proper prefix of either tag, so the next piece may complete it. */
function isTagPrefix(s: string, at: number): boolean {
  const n = s.length - at;
  if (n >= CLOSE.length) return false;
  return (n < OPEN.length && OPEN.startsWith(s.slice(at))) || CLOSE.startsWith(s.slice(at));
}

/**
 * Splits a complete text. A `</think>` with no `<think>` before it means the template opened the tag,
 * so everything before it is reasoning.
 */
export function splitThinkText(text: string, startInside = false): { content: string; reasoning: string } {
  const close = text.indexOf(CLOSE);
  const open = text.indexOf(OPEN);
  const inside = startInside || (close !== -1 && (open === -1 || open > close));
  const splitter = new ThinkSplitter(inside);
  splitter.push(text);
  let content = splitter.content;
  let reasoning = splitter.reasoning;
  splitter.flush();
  content += splitter.content;
  reasoning += splitter.reasoning;
  return { content, reasoning: reasoning.trimEnd() };
}
