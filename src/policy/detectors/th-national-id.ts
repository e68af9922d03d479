// Thailand national ID: 13 digits (often grouped 1-4-5-2-1), first digit 1–8, mod-11 check digit.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { onlyDigits, weightedSum } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

const WEIGHTS = [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2];

export function thIdValid(digits: string): boolean {
  if (digits.length !== 13) return false;
  return (11 - (weightedSum(digits, WEIGHTS) % 11)) % 10 === digits.charCodeAt(12) - 48;
}

export const thNationalId: Detector = {
  kind: "th_national_id",
  category: "pii",
  label: "ID",
  trigger: digits(13),
  fits: stickyShape(`\\d([ -]?)\\d{4}\\1\\d{5}\\1\\d{2}\\1\\d${RIGHT_NUMBER}`),
  match: stickyMatcher(`[1-8]([ -]?)\\d{4}\\1\\d{5}\\1\\d{2}\\1\\d${RIGHT_NUMBER}`, (v) => thIdValid(onlyDigits(v))),
};
