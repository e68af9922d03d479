// Matchers for the config's custom rules: named regexes and term lists (client names, project codenames).
import { isAsciiAlnum } from "./boundaries.js";
import { labelFromName } from "./labels.js";
import type { PassMatcher } from "./scanner.js";
import type { Span } from "./types.js";

export type CustomRule = { name: string; pattern: string; flags?: string } | { name: string; terms: readonly string[]; case_sensitive?: boolean };

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function allMatches(re: RegExp, text: string, accept?: (s: Span) => boolean): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const span = { start: m.index, end: m.index + m[0].length };
    if (accept === undefined || accept(span)) out.push(span);
  }
  return out;
}

export function customMatcher(rule: CustomRule): PassMatcher {
  const label = labelFromName(rule.name);
  // A match that starts or ends with an ASCII letter or digit must not be part of a longer ASCII word;
  // CJK text matches anywhere, since those scripts do not separate words.
  const bounded = (text: string) => (s: Span) =>
    !(isAsciiAlnum(text.charCodeAt(s.start)) && s.start > 0 && isAsciiAlnum(text.charCodeAt(s.start - 1))) &&
    !(isAsciiAlnum(text.charCodeAt(s.end - 1)) && isAsciiAlnum(text.charCodeAt(s.end)));
  if ("pattern" in rule) {
    const flags = [...new Set(`${rule.flags ?? ""}g`)].join("");
    const re = new RegExp(rule.pattern, flags);
    return { kind: rule.name, category: "custom", label, find: (text) => allMatches(re, text, bounded(text)) };
  }
  // Longest first so "Acme Holdings" wins over "Acme".
  const terms = [...rule.terms].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
  const re = new RegExp(terms.map(escapeRegex).join("|"), rule.case_sensitive === true ? "g" : "gi");
  return { kind: rule.name, category: "custom", label, find: (text) => (terms.length === 0 ? [] : allMatches(re, text, bounded(text))) };
}
