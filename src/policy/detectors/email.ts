// E-mail addresses. Woken at the "@" (rare in text) and expanded both ways by hand: a regex that starts
// with the local part would be tried at every letter of the text.
import { isAsciiAlnum } from "../boundaries.js";
import type { Detector, Span } from "../types.js";

function isLocalChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45; // . _ % + -
}

const DOMAIN = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;

export function matchEmail(text: string, at: number): Span | undefined {
  let start = at;
  while (start > 0 && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
  while (start < at && text.charCodeAt(start) === 46) start++; // a local part does not start with "."
  if (start === at) return undefined;
  // "scheme://user:password@host" is a URL credential, not an address.
  if (start > 0 && /:\/\/[^\s/@]*$/.test(text.slice(Math.max(0, start - 200), start))) return undefined;
  DOMAIN.lastIndex = at + 1;
  const m = DOMAIN.exec(text);
  if (m === null) return undefined;
  return { start, end: at + 1 + m[0].length };
}

export const email: Detector = { kind: "email", category: "pii", label: "EMAIL", trigger: { prefilter: "@", first: "[@]" }, match: matchEmail };
