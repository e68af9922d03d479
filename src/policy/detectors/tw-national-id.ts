// Taiwan national ID: a letter for the place of first registration, 1 or 2 for sex (8/9 for resident
// certificates of the new format), 8 digits; the letter's two-digit value joins a weighted mod-10 sum.
import { RIGHT, stickyMatcher } from "../boundaries.js";
import type { Detector } from "../types.js";
import { CAPITALS_TRIGGER } from "./triggers.js";

// A=10 … H=17, I=34, J=18 … N=22, O=35, P=23 … V=29, W=32, X=30, Y=31, Z=33.
const LETTER_VALUE = "ABCDEFGHJKLMNPQRSTUVXYWZIO";
const WEIGHTS = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];

export function twIdValid(id: string): boolean {
  const v = LETTER_VALUE.indexOf(id[0]!) + 10;
  const digits = `${v}${id.slice(1)}`;
  let s = 0;
  for (let i = 0; i < 11; i++) s += (digits.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return s % 10 === 0;
}

export const twNationalId: Detector = {
  kind: "tw_national_id",
  category: "pii",
  label: "ID",
  trigger: CAPITALS_TRIGGER,
  match: stickyMatcher(`[A-Z][1289]\\d{8}${RIGHT}`, twIdValid),
};
