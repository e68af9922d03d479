// India Aadhaar: 12 digits, first 2–9, usually grouped 4-4-4, Verhoeff check digit.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { onlyDigits, verhoeffValid } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

export function aadhaarValid(digits: string): boolean {
  return digits.length === 12 && digits[0]! >= "2" && verhoeffValid(digits);
}

export const inAadhaar: Detector = {
  kind: "in_aadhaar",
  category: "pii",
  label: "ID",
  trigger: digits(12),
  fits: stickyShape(`\\d{4}([ -]?)\\d{4}\\1\\d{4}${RIGHT_NUMBER}`),
  match: stickyMatcher(`[2-9]\\d{3}([ -]?)\\d{4}\\1\\d{4}${RIGHT_NUMBER}`, (v) => aadhaarValid(onlyDigits(v))),
};
