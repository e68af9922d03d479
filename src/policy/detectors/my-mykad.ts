// Malaysia MyKad: YYMMDD-PB-###G. No checksum: the birth date and the place-of-birth code must be valid.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { onlyDigits, validDate } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

/** Place-of-birth codes in use: states 01–16 and 21–59, foreign regions 60–68, 71–72, 74–79, 82–93, 98–99. */
function placeOfBirthValid(pb: number): boolean {
  return (pb >= 1 && pb <= 16) || (pb >= 21 && pb <= 68) || pb === 71 || pb === 72 || (pb >= 74 && pb <= 79) || (pb >= 82 && pb <= 93) || pb >= 98;
}

export function myKadValid(digits: string): boolean {
  if (digits.length !== 12) return false;
  const yy = Number(digits.slice(0, 2));
  // A two-digit year: either century may hold the date, so accept when one does (29 Feb needs a leap year).
  const dateOk = validDate(1900 + yy, Number(digits.slice(2, 4)), Number(digits.slice(4, 6))) || validDate(2000 + yy, Number(digits.slice(2, 4)), Number(digits.slice(4, 6)));
  return dateOk && placeOfBirthValid(Number(digits.slice(6, 8)));
}

export const myMykad: Detector = {
  kind: "my_mykad",
  category: "pii",
  label: "ID",
  trigger: digits(12),
  fits: stickyShape(`\\d{6}(-?)\\d{2}\\1\\d{4}${RIGHT_NUMBER}`),
  match: stickyMatcher(`\\d{6}(-?)\\d{2}\\1\\d{4}${RIGHT_NUMBER}`, (v) => myKadValid(onlyDigits(v))),
};
