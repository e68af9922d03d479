// Korea resident registration number: YYMMDD-GHIJKLX. The 7th digit gives century and sex. Numbers issued
// since October 2020 end in random digits, so with the usual dash a valid date and 7th digit suffice;
// written without the dash (much more ambiguous) the pre-2020 checksum is required.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { validDate, weightedSum } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

const WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
const CENTURY: Record<string, number> = { "9": 1800, "0": 1800, "1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000, "8": 2000 };

export function krRrnChecksumValid(digits: string): boolean {
  return (11 - (weightedSum(digits, WEIGHTS) % 11)) % 10 === digits.charCodeAt(12) - 48;
}

export function krRrnValid(value: string): boolean {
  const dashed = value.length === 14;
  const digits = dashed ? value.slice(0, 6) + value.slice(7) : value;
  const century = CENTURY[digits[6]!];
  if (century === undefined) return false;
  const ok = validDate(century + Number(digits.slice(0, 2)), Number(digits.slice(2, 4)), Number(digits.slice(4, 6)));
  return ok && (dashed || krRrnChecksumValid(digits));
}

export const krRrn: Detector = {
  kind: "kr_rrn",
  category: "pii",
  label: "ID",
  trigger: digits(13),
  fits: stickyShape(`\\d{6}-?\\d{7}${RIGHT_NUMBER}`),
  match: stickyMatcher(`\\d{6}-?[1-8]\\d{6}${RIGHT_NUMBER}`, krRrnValid),
};
