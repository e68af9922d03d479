// IBAN: country code, two check digits, up to 30 alphanumerics, often in groups of four; mod 97 = 1 after
// moving the first four characters to the end, and the length fixed per country.
import { RIGHT, stickyMatcher } from "../boundaries.js";
import { mod97 } from "../checksums.js";
import type { Detector } from "../types.js";
import { CAPITALS_TRIGGER } from "./triggers.js";

// Lengths from the SWIFT IBAN registry for the countries most often seen; others are accepted at 15–34.
const LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AT: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24,
  FI: 18, FR: 27, GB: 22, GR: 27, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, KW: 30, KZ: 20, LI: 21, LT: 20,
  LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PK: 24, PL: 28, PT: 25, QA: 29, RO: 24, SA: 24, SE: 24, SI: 19,
  SK: 24, SM: 27, TR: 26, UA: 29,
};

export function ibanValid(value: string): boolean {
  const s = value.replace(/[ -]/g, "");
  const expected = LENGTHS[s.slice(0, 2)];
  if (expected !== undefined ? s.length !== expected : s.length < 15 || s.length > 34) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

export const iban: Detector = {
  kind: "iban",
  category: "pii",
  label: "IBAN",
  trigger: CAPITALS_TRIGGER,
  match: stickyMatcher(`[A-Z]{2}\\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?${RIGHT}`, ibanValid),
};
