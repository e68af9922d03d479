// The shared triggers of numeric and letter-led identifiers. Sharing one trigger object lets the scanner
// check its boundary once for all the detectors behind it.
import { LEFT } from "../boundaries.js";
import type { Trigger } from "../types.js";

/** The start of a number token, optionally "+" or "(" first. */
// The lookahead keeps short numbers (times, counts, prices under 1,000) from costing a dispatch: every
// numeric detector needs four characters at least.
export const DIGIT_TRIGGER: Trigger = { prefilter: "[+(]?\\d+(?=[\\d ().\\/-]{3})", first: "[0-9+(]", guard: `${LEFT}[+(]?\\d` };

/** A numeric detector's trigger: the shared one, skipped when the token has fewer digits than it needs. */
export function digits(minDigits: number): Trigger {
  return { ...DIGIT_TRIGGER, minDigits };
}

/** Letter-led identifiers (SG NRIC, TW ID, HK ID, IN PAN, IBAN): capitals straight before a digit. */
export const CAPITALS_TRIGGER: Trigger = { prefilter: "[A-Z][A-Z\\d]", first: "[A-Z]", guard: `${LEFT}[A-Z]{1,5}\\d` };
