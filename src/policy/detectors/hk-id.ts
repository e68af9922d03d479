// Hong Kong identity card: one or two letters, six digits, check digit (0–9 or A), usually in brackets.
import { RIGHT, stickyMatcher } from "../boundaries.js";
import type { Detector } from "../types.js";
import { CAPITALS_TRIGGER } from "./triggers.js";

export function hkIdValid(value: string): boolean {
  const m = /^([A-Z]{1,2})(\d{6})\(?([0-9A])\)?$/.exec(value);
  if (m === null) return false;
  const letters = m[1]!;
  // A single letter counts as if preceded by a space, whose value is 36.
  let s = letters.length === 1 ? 36 * 9 + (letters.charCodeAt(0) - 55) * 8 : (letters.charCodeAt(0) - 55) * 9 + (letters.charCodeAt(1) - 55) * 8;
  for (let i = 0; i < 6; i++) s += (m[2]!.charCodeAt(i) - 48) * (7 - i);
  const r = s % 11;
  const check = r === 0 ? "0" : r === 1 ? "A" : String(11 - r);
  return check === m[3];
}

export const hkId: Detector = {
  kind: "hk_id",
  category: "pii",
  label: "ID",
  trigger: CAPITALS_TRIGGER,
  match: stickyMatcher(`[A-Z]{1,2}\\d{6}(?:\\([0-9A]\\)|[0-9A])${RIGHT}`, hkIdValid),
};
