// IPv6 addresses, full or compressed ("::"), optionally with an embedded IPv4 tail.
import { isAsciiAlnum, RIGHT } from "../boundaries.js";
import type { Detector, Span } from "../types.js";

export function ipv6Valid(s: string): boolean {
  let body = s;
  let extra = 0;
  const v4 = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4 !== null) {
    if (v4[1]!.split(".").some((o) => Number(o) > 255)) return false;
    body = s.slice(0, s.length - v4[1]!.length);
    if (body.endsWith(":") && !body.endsWith("::")) body = body.slice(0, -1);
    extra = 2;
  }
  const halves = body.split("::");
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === "" ? [] : h.split(":")));
  const count = groups.reduce((n, g) => n + g.length, 0) + extra;
  if (groups.some((g) => g.some((x) => !/^[0-9A-Fa-f]{1,4}$/.test(x)))) return false;
  // Compressed forms must leave something out; short "a::b" strings in prose are too ambiguous, so ask for
  // at least three groups (fe80::1:2, 2001:db8::1) or the loopback/unspecified forms.
  if (halves.length === 2) return count <= 7 && (count >= 3 || s === "::1");
  return count === 8;
}

const CANDIDATE = new RegExp(`[0-9A-Fa-f:]{2,39}(?:\\d{1,3}(?:\\.\\d{1,3}){3})?${RIGHT}`, "y");

/** Woken at a colon (rare in prose, unlike hex letters); walks back to where the address starts. */
function matchIpv6(text: string, at: number): Span | undefined {
  let start = at;
  while (start > 0 && at - start < 39 && isHexOrColon(text.charCodeAt(start - 1))) start--;
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  if (isAsciiAlnum(before) || before === 95 || before === 46) return undefined;
  CANDIDATE.lastIndex = start;
  const m = CANDIDATE.exec(text);
  if (m === null || start + m[0].length <= at + 1) return undefined;
  // Times (10:30) and ratios have one colon; an address has at least two.
  if (m[0].indexOf(":") === m[0].lastIndexOf(":") || !ipv6Valid(m[0])) return undefined;
  return { start, end: start + m[0].length };
}

function isHexOrColon(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export const ipv6: Detector = {
  kind: "ip_address",
  category: "pii",
  label: "IP",
  trigger: { prefilter: ":[0-9A-Fa-f:]", first: "[:]" },
  match: matchIpv6,
};
