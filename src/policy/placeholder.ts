// Placeholder syntax and the tolerant parser that finds placeholders again in model output.
//
// Written form: `[LABEL_N]`, e.g. `[EMAIL_1]`, `[PHONE_2]`, `[ID_1]`. Square brackets and an upper-case
// word with an index are kept verbatim by the models we tried and read as "a value was here"; the form
// rarely occurs in real text, and where it does the pseudonymizer skips that index (see reserve()).
//
// Accepted when restoring (changes models make): any letter case inside brackets; spaces inside the
// brackets; "_", "-", a space or nothing between label and number; full-width or CJK brackets
// (［…］, 【…】, 〔…〕) or parentheses; and the bare form `LABEL_N` without brackets, but only in upper case
// with the underscore and not glued to other ASCII letters or digits. A lone bracket is not required
// to match: "[EMAIL_1" restores the EMAIL_1 inside it and keeps the "[". Labels are only those of the
// conversation's table, so ordinary text like "[NOTE 1]" is never touched.

export const OPENERS = "[［【〔(";
const CLOSERS = "]］】〕)";
const MAX_SPACES = 2;
const MAX_DIGITS = 6;

export function formatPlaceholder(label: string, n: number): string {
  return `[${label}_${n}]`;
}

/** The key under which a placeholder is stored: `LABEL_N` in upper case, index without leading zeros. */
export function placeholderKey(label: string, n: number): string {
  return `${label}_${n}`;
}

export type ParseResult = { status: "match"; end: number; key: string } | { status: "partial" } | { status: "none" };

const NONE: ParseResult = { status: "none" };
const PARTIAL: ParseResult = { status: "partial" };

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 160 || c === 0x3000;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isWordChar(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 95;
}

/** Labels known to a table, with every prefix, so a partial label can be told apart from other words. */
export class LabelSet {
  readonly labels: ReadonlySet<string>;
  private readonly prefixes = new Set<string>();
  readonly firstChars = new Set<string>();
  /** Where a reservation scan must look: an opening bracket, or a label followed by "_" and a digit. */
  readonly literalCandidates: RegExp;

  constructor(labels: Iterable<string>) {
    this.labels = new Set(labels);
    for (const l of this.labels) {
      for (let i = 1; i <= l.length; i++) this.prefixes.add(l.slice(0, i));
      this.firstChars.add(l[0]!);
    }
    const bare = [...this.labels].sort((a, b) => b.length - a.length).join("|");
    this.literalCandidates = new RegExp(`[${OPENERS.replace(/[[\]]/g, "\\$&")}]${bare === "" ? "" : `|(?:${bare})_\\d`}`, "g");
  }

  isPrefix(upper: string): boolean {
    return this.prefixes.has(upper);
  }
}

/**
 * Parses a placeholder starting at `i`. `final` says the text ends here for good (non-streaming or flush);
 * otherwise running off the end while still consistent is "partial": more text could complete it.
 * `prev` is the character code before `i` (NaN at the start), for the bare form's boundary.
 */
export function parsePlaceholder(text: string, i: number, labels: LabelSet, final: boolean, prev: number): ParseResult {
  const n = text.length;
  let p = i;
  const open = text[p]!;
  const bracketed = OPENERS.includes(open);
  if (bracketed) p++;
  else if (isWordChar(prev)) return NONE;
  let spaces = 0;
  if (bracketed) {
    while (p < n && isSpace(text.charCodeAt(p))) {
      if (++spaces > MAX_SPACES) return NONE;
      p++;
    }
  }
  // Label.
  const labelStart = p;
  while (p < n && isLetter(text.charCodeAt(p))) {
    const raw = text.slice(labelStart, p + 1);
    const upper = raw.toUpperCase();
    if (!bracketed && raw !== upper) return NONE;
    if (!labels.isPrefix(upper)) return NONE;
    p++;
  }
  if (p === n) return final ? NONE : PARTIAL;
  const label = text.slice(labelStart, p).toUpperCase();
  if (!labels.labels.has(label)) return NONE;
  // Separator.
  const sep = text.charCodeAt(p);
  if (bracketed ? sep === 95 || sep === 45 || isSpace(sep) : sep === 95) p++;
  else if (!bracketed || !isDigit(sep)) return NONE;
  if (p === n) return final ? NONE : PARTIAL;
  // Index.
  const digitStart = p;
  while (p < n && isDigit(text.charCodeAt(p))) {
    if (p - digitStart >= MAX_DIGITS) return NONE;
    p++;
  }
  if (p === digitStart) return NONE;
  const key = `${label}_${Number(text.slice(digitStart, p))}`;
  if (!bracketed) {
    if (p === n) return final ? { status: "match", end: p, key } : PARTIAL;
    return isWordChar(text.charCodeAt(p)) ? NONE : { status: "match", end: p, key };
  }
  spaces = 0;
  while (p < n && isSpace(text.charCodeAt(p))) {
    if (++spaces > MAX_SPACES) return NONE;
    p++;
  }
  if (p === n) return final ? NONE : PARTIAL;
  return CLOSERS.includes(text[p]!) ? { status: "match", end: p + 1, key } : NONE;
}

/**
 * Keys a text already holds in any form a restore might read, for the pseudonymizer to skip. Deliberately
 * wider than the parser: bare labels count whatever their neighbours and with every prefix of their
 * digits, because replacing a value next to them changes those neighbours ("…002XPHONE_1" becomes
 * "[ID_1]PHONE_1", where PHONE_1 now stands alone).
 */
export function reservedKeys(text: string, labels: LabelSet): string[] {
  const keys: string[] = [];
  const re = labels.literalCandidates;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const i = m.index;
    re.lastIndex = i + 1;
    if (OPENERS.includes(text[i]!)) {
      const r = parsePlaceholder(text, i, labels, true, Number.NaN);
      if (r.status === "match") keys.push(r.key);
      continue;
    }
    let p = i;
    while (p < text.length && isLetter(text.charCodeAt(p)) && labels.isPrefix(text.slice(i, p + 1))) p++;
    const label = text.slice(i, p);
    if (!labels.labels.has(label) || text[p] !== "_") continue;
    let digits = "";
    for (let q = p + 1; q < text.length && q <= p + MAX_DIGITS && isDigit(text.charCodeAt(q)); q++) {
      digits += text[q];
      keys.push(`${label}_${Number(digits)}`);
    }
  }
  return keys;
}
