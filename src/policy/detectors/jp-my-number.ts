// Japan Individual Number (My Number): 12 digits, the last a mod-11 check digit over the first 11.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { onlyDigits, weightedSum } from "../checksums.js";
import { scriptNear } from "../script-context.js";
import type { Detector } from "../types.js";
import { aadhaarValid } from "./in-aadhaar.js";
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
  fits: stickyShape(`\\d{4}([ -]?)\\d{4}\\1\\d{4}${RIGHT_NUMBER}`),
  // Labelled "My Number": its own check decides, whatever script surrounds it.
  matchLabelled: stickyMatcher(`\\d{4}([ -]?)\\d{4}\\1\\d{4}${RIGHT_NUMBER}`, (v) => myNumberValid(onlyDigits(v))),
  match: stickyMatcher(`\\d{4}([ -]?)\\d{4}\\1\\d{4}${RIGHT_NUMBER}`, (v, text, start) => {
    const digits = onlyDigits(v);
    if (!myNumberValid(digits)) return false;
    // Valid for both: in Indian-script text, leave it to the Aadhaar detector that runs next.
    return !(aadhaarValid(digits) && scriptNear(text, start, start + v.length) === "indic");
  }),
};
