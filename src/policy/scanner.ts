// One pass over a string: every detector's prefilter joined into one plain alternation, then at each hit
// only the detectors whose trigger fits run their own pattern and validator. Text without digits, "@",
// capitals or key prefixes costs one regex scan; a short number (a time, a count) costs a digit count.
import { labelledKind } from "./kind-labels.js";
import type { Category, Detector, Finding, Span } from "./types.js";

/** Matchers that need their own pass (custom patterns and term lists from the config). */
export interface PassMatcher {
  kind: string;
  category: Category;
  label: string;
  find(text: string): Span[];
}

export interface Scanner {
  scan(text: string): Finding[];
}

/**
 * A detector as the scanner calls it: every field present, so all entries share one hidden class and the
 * calls in the scan loop stay monomorphic (detector literals with and without `fits` would not).
 */
interface Entry {
  kind: string;
  category: Category;
  minDigits: number;
  match: (text: string, at: number) => Span | undefined;
  fits: ((text: string, at: number) => boolean) | undefined;
  matchLabelled: (text: string, at: number) => Span | undefined;
}

function entry(d: Detector): Entry {
  const match = d.match.bind(d);
  return {
    kind: d.kind,
    category: d.category,
    minDigits: d.trigger.minDigits ?? 0,
    match,
    fits: d.fits?.bind(d),
    matchLabelled: d.matchLabelled?.bind(d) ?? match,
  };
}

interface TriggerGroup {
  guard: RegExp;
  /** The smallest `minDigits` of its detectors: a token with fewer digits skips the group unchecked. */
  minDigits: number;
  detectors: Entry[];
  /** Its detectors a context label can name (they have `fits`), by kind. */
  labelled: Map<string, Entry>;
}

/** Fewest digits in a token before its label is looked up: the shortest labelled shape (a phone). */
const LABEL_MIN_DIGITS = 7;
/** tryGroup's answer for a labelled value its own kind rejected: no other detector may claim it. */
const NOBODY = "nobody";

/** Digits in the number token at `at`: digit runs joined by up to two separators, at most 40 characters. */
function tokenDigits(text: string, at: number): number {
  let n = 0;
  let seps = 0;
  const end = Math.min(text.length, at + 40);
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n++;
      seps = 0;
    } else if (seps < 2 && (c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 47 || c === 43 || c === 160)) seps++;
    else break;
  }
  return n;
}

export function createScanner(detectors: readonly Detector[], passes: readonly PassMatcher[] = []): Scanner {
  const groups: TriggerGroup[] = [];
  const byGuard = new Map<string, TriggerGroup>();
  // For each ASCII character, the trigger groups a prefilter hit starting with it may belong to.
  const byFirst: TriggerGroup[][] = Array.from({ length: 128 }, () => []);
  // Two prefilter regexes: triggers led by lower-case letters (key prefixes like sk-, ghp_) in one, all
  // others (digits, capitals, "@", ":") in the other. One alternation over both ran 3× slower on prose,
  // since no first-character skip is possible when half the alphabet can start a hit.
  const wordPrefilters = new Set<string>();
  const otherPrefilters = new Set<string>();
  for (const d of detectors) {
    const guard = d.trigger.guard ?? d.trigger.prefilter;
    let g = byGuard.get(guard);
    if (g === undefined) {
      g = { guard: new RegExp(guard, "y"), minDigits: Infinity, detectors: [], labelled: new Map() };
      byGuard.set(guard, g);
      groups.push(g);
      const first = new RegExp(`^${d.trigger.first}$`);
      let lowerOnly = true;
      for (let c = 0; c < 128; c++) {
        if (!first.test(String.fromCharCode(c))) continue;
        byFirst[c]!.push(g);
        if (c < 97 || c > 122) lowerOnly = false;
      }
      (lowerOnly ? wordPrefilters : otherPrefilters).add(d.trigger.prefilter);
    }
    const e = entry(d);
    g.detectors.push(e);
    if (e.fits !== undefined) g.labelled.set(e.kind, e);
    g.minDigits = Math.min(g.minDigits, d.trigger.minDigits ?? 0);
  }
  const prefilters = [wordPrefilters, otherPrefilters].filter((set) => set.size > 0).map((set) => new RegExp([...set].join("|"), "g"));

  function found(d: Entry, text: string, span: Span): Finding {
    return { kind: d.kind, category: d.category, start: span.start, end: span.end, value: text.slice(span.start, span.end) };
  }

  function tryGroup(g: TriggerGroup, text: string, at: number, digitsAt: number): Finding | typeof NOBODY | undefined {
    for (const d of g.detectors) {
      if (d.minDigits > 0 && digitsAt < d.minDigits) continue;
      const span = d.match(text, at);
      if (span !== undefined) return g.labelled.size > 0 && digitsAt >= LABEL_MIN_DIGITS ? labelled(g, d, text, at, span) : found(d, text, span);
    }
    return undefined;
  }

  /**
   * A label naming another kind whose shape fits hands the number to that kind alone (kind-labels.ts).
   * Looked up only once some detector has claimed the number: what nobody claims needs no label, so dates,
   * prices and order numbers cost no label search.
   */
  function labelled(g: TriggerGroup, claimer: Entry, text: string, at: number, span: Span): Finding | typeof NOBODY {
    const kind = labelledKind(text, at);
    if (kind === undefined || kind === claimer.kind) return found(claimer, text, span);
    const d = g.labelled.get(kind);
    if (d === undefined || d.fits === undefined || !d.fits(text, at)) return found(claimer, text, span);
    const own = d.matchLabelled(text, at);
    return own === undefined ? NOBODY : found(d, text, own);
  }

  function scanAt(text: string, at: number): Finding | undefined {
    const candidates = byFirst[text.charCodeAt(at)];
    if (candidates === undefined) return undefined;
    let digitsAt = -1;
    for (const g of candidates) {
      if (g.minDigits > 0) {
        if (digitsAt < 0) digitsAt = tokenDigits(text, at);
        if (digitsAt < g.minDigits) continue;
      }
      g.guard.lastIndex = at;
      if (!g.guard.test(text)) continue;
      const f = tryGroup(g, text, at, digitsAt);
      if (f === NOBODY) return undefined;
      if (f !== undefined) return f;
    }
    return undefined;
  }

  function scan(text: string): Finding[] {
    const found: Finding[] = [];
    for (const re of prefilters) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        const at = m.index;
        const f = scanAt(text, at);
        if (f !== undefined) {
          found.push(f);
          re.lastIndex = Math.max(f.end, at + 1);
        } else re.lastIndex = at + Math.max(1, m[0].length);
      }
    }
    for (const p of passes) {
      for (const s of p.find(text)) found.push({ kind: p.kind, category: p.category, start: s.start, end: s.end, value: text.slice(s.start, s.end) });
    }
    return resolveOverlaps(found);
  }

  return { scan };
}

/** Sorted by start; where two findings overlap the longer wins (an e-mail over the number inside it). */
export function resolveOverlaps(found: Finding[]): Finding[] {
  if (found.length < 2) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (last === undefined || f.start >= last.end) out.push(f);
    else if (f.end - f.start > last.end - last.start) out[out.length - 1] = f;
  }
  return out;
}
