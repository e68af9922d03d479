// Payment cards: Visa, Mastercard, American Express, UnionPay, JCB. Digits in groups separated by single
// spaces or dashes; Luhn check plus the issuer's prefix and length.
import { RIGHT_NUMBER, stickyMatcher } from "../boundaries.js";
import { luhnValid, onlyDigits } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

const BRANDS: readonly { prefix: RegExp; lengths: readonly number[] }[] = [
  { prefix: /^4/, lengths: [13, 16, 19] },
  { prefix: /^(?:5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, lengths: [16] },
  { prefix: /^3[47]/, lengths: [15] },
  { prefix: /^62/, lengths: [16, 17, 18, 19] },
  { prefix: /^35(?:2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] },
];

export function cardValid(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return false;
  return BRANDS.some((b) => b.prefix.test(digits) && b.lengths.includes(digits.length));
}

export const paymentCard: Detector = {
  kind: "payment_card",
  category: "pii",
  label: "CARD",
  trigger: digits(13),
  match: stickyMatcher(`[2-6]\\d{3}(?:[ -]?\\d){9,15}${RIGHT_NUMBER}`, (v) => cardValid(onlyDigits(v))),
};
