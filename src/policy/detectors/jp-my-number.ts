// Japan Individual Number (My Number): 12 digits, the last a mod-11 check digit over the first 11.
import { RIGHT_NUMBER, stickyMatcher } from "../boundaries.js";
import { onlyDigits, weightedSum } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

const WEIGHTS = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

export function myNumberValid(digits: string): boolean {
  if (digits.length !== 12) return false;
  const r = weightedSum(digits, WEIGHTS) % 11;
  return digits.charCodeAt(11) - 48 === (r <= 1 ? 0 : 11 - r);
}

export const jpMyNumber: Detector = {
  kind: "jp_my_number",
  category: "pii",
  label: "ID",
  trigger: digits(12),
  match: stickyMatcher(`\\d{4}([ -]?)\\d{4}\\1\\d{4}${RIGHT_NUMBER}`, (v) => myNumberValid(onlyDigits(v))),
};
