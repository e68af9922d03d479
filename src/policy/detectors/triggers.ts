// The shared triggers of numeric and letter-led identifiers. Sharing one trigger object lets the scanner
// check its boundary once for all the detectors behind it.
import { LEFT } from "../boundaries.js";
import type { Trigger } from "../types.js";

/** The start of a number token, optionally "+" or "(" first. */
// The lookahead keeps short numbers (times, counts, prices under 1,000) from costing a dispatch: every
// numeric detector needs four characters at least.
// The guard also refuses a start right after "digit + space": the middle of a grouped number (a card in
// groups of four that failed its checksum) must not be re-read as a shorter number.
export const DIGIT_TRIGGER: Trigger = { prefilter: "[+(]?\\d+(?=[\\d ().\\/-]{3})", first: "[0-9+(]", guard: `${LEFT}(?<!\\d[ \\u00a0])[+(]?\\d` };

/** A numeric detector's trigger: the shared one, skipped when the token has fewer digits than it needs. */
export function digits(minDigits: number): Trigger {
  return { ...DIGIT_TRIGGER, minDigits };
}

/** Letter-led identifiers (SG NRIC, TW ID, HK ID, IN PAN, IBAN): capitals straight before a digit. */
export const CAPITALS_TRIGGER: Trigger = { prefilter: "[A-Z][A-Z\\d]", first: "[A-Z]", guard: `${LEFT}[A-Z]{1,5}\\d` };
