// Vietnam citizen identity card (CCCD): 12 digits = 3-digit province code, century/sex digit, 2-digit birth
// year, 6-digit serial. No checksum, so the province code must be one that exists.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { scriptNear } from "../script-context.js";
import type { Detector } from "../types.js";
import { myNumberValid } from "./jp-my-number.js";
import { digits } from "./triggers.js";

const PROVINCES = new Set(
  ("001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 " +
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 " +
    "083 084 086 087 089 091 092 093 094 095 096").split(" "),
);

export function vnCccdValid(digits: string): boolean {
  // Century/sex digit: 0/1 born 1900s, 2/3 born 2000s; later centuries are not issued yet.
  return digits.length === 12 && PROVINCES.has(digits.slice(0, 3)) && digits[3]! <= "3";
}

export const vnCccd: Detector = {
  kind: "vn_cccd",
  category: "pii",
  label: "ID",
  trigger: digits(12),
  fits: stickyShape(`\\d{12}${RIGHT_NUMBER}`),
  matchLabelled: stickyMatcher(`0\\d{11}${RIGHT_NUMBER}`, vnCccdValid),
  // Valid under the Japanese check too and written among kana: leave it to the My Number detector.
  match: stickyMatcher(`0\\d{11}${RIGHT_NUMBER}`, (v, text, start) => vnCccdValid(v) && !(myNumberValid(v) && scriptNear(text, start, start + v.length) === "japanese")),
};
