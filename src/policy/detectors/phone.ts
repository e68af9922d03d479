// Phone numbers, international ("+86 138 0013 8000", "0086…") and national ("090-1234-5678", "(415) 555-2671")
// for the plans in phone-countries.ts. libphonenumber-js (max metadata: per-type patterns, so a date such
// as 20240115 is not taken for a Chinese landline) validates; the shape rules here reject what is
// obviously not a phone before it is asked: dates, prices, versions, ISBNs.
import { isValidPhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { groupContinues, RIGHT_NUMBER } from "../boundaries.js";
import { onlyDigits, validDate } from "../checksums.js";
import type { Detector, Span } from "../types.js";
import { digits } from "./triggers.js";
import { nationalNumber, PLANS } from "./phone-countries.js";

// Groups of digits, each after a separator or inside parentheses, so a digit run splits only one way:
// an optional separator between digit groups made a long run (60 digits) backtrack through every split.
const SHAPE = new RegExp(`\\+?(?:\\(\\d{1,5}\\)[ .\\-\\u00a0]?)?\\d{1,15}(?:[ .\\-\\u00a0](?:\\(\\d{1,5}\\)|\\d{1,15})|\\(\\d{1,5}\\)){0,7}${RIGHT_NUMBER}`, "y");
// A date, or a date followed by more numbers (a time: "2024-01-15 09:30" reaches here as "2024-01-15 09").
const DATE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:$|\s)|\d{4} \d{1,2} \d{1,2}$|\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}$)/;
const CURRENCY_BEFORE = /(?:[$€£¥₹₩฿₫₱₽元円]|\b(?:Rp|RM|Rs|USD|EUR|JPY|CNY|RMB|KRW|SGD|INR|THB|VND|IDR|MYR|PHP|TWD|NT|HKD|GBP)\.?)\s?$/;
const UNIT_AFTER = /^\s?(?:[%$€£¥₹₩฿₫₱元円원块]|(?:USD|EUR|JPY|CNY|RMB|KRW|SGD|INR|THB|VND|IDR|MYR|PHP|TWD|HKD|GBP|dong|baht|rupiah|ringgit|won|yen|yuan|rupees?)\b)/i;

function isDateLike(s: string): boolean {
  if (DATE.test(s)) return true;
  // A bare 8-digit YYYYMMDD reads as a date before it reads as a phone number.
  return /^(?:19|20)\d{6}$/.test(s) && validDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
}

function isbnLike(digits: string, text: string, start: number): boolean {
  if (/ISBN[-:\s]*(?:1[03][:\s]*)?$/i.test(text.slice(Math.max(0, start - 12), start))) return true;
  if (digits.length !== 13 || !/^97[89]/.test(digits)) return false;
  let s = 0;
  for (let i = 0; i < 13; i++) s += (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return s % 10 === 0;
}

export function phoneValid(candidate: string, text: string, start: number, end: number): boolean {
  const digits = onlyDigits(candidate);
  if (digits.length < 7 || digits.length > 15 || isDateLike(candidate)) return false;
  // Dots separate phone groups only in numbers of 3+ groups of 2–4 digits (01.23.45.67.89, 415.555.2671);
  // anything else dotted is a version or build number.
  if (candidate.includes(".") && !/^\+?\d{2,4}(?:\.\d{2,4}){2,}$/.test(candidate)) return false;
  if (CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 5), start))) return false;
  if (UNIT_AFTER.test(text.slice(end, end + 9))) return false;
  if (isbnLike(digits, text, start)) return false;
  // The tail of an IBAN-shaped token (GB63 OPOE 4708 2406 …) whose checksum failed is not a phone either.
  if (/[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})+ $/.test(text.slice(Math.max(0, start - 40), start))) return false;
  if (candidate.startsWith("+")) return parsePhoneNumberFromString(candidate)?.isValid() === true;
  if (digits.startsWith("00") && !candidate.startsWith("(")) {
    const intl = parsePhoneNumberFromString(`+${digits.slice(2)}`);
    if (intl?.isValid() === true) return true;
  }
  for (const plan of PLANS) {
    if (nationalNumber(plan, digits) !== undefined && isValidPhoneNumber(candidate, plan.country)) return true;
  }
  return false;
}

/**
 * The whole number token or nothing: a valid phone cut out of a longer digit sequence (a card or account
 * number in groups of four) is far more often a false alarm than a phone followed by a bare number.
 */
function matchPhone(text: string, at: number): Span | undefined {
  SHAPE.lastIndex = at;
  const m = SHAPE.exec(text);
  if (m === null || groupContinues(m[0], text, at + m[0].length) || !phoneValid(m[0], text, at, at + m[0].length)) return undefined;
  return { start: at, end: at + m[0].length };
}

export const phone: Detector = {
  kind: "phone",
  category: "pii",
  label: "PHONE",
  trigger: digits(7),
  match: matchPhone,
  fits(text: string, at: number): boolean {
    SHAPE.lastIndex = at;
    const m = SHAPE.exec(text);
    if (m === null || groupContinues(m[0], text, at + m[0].length)) return false;
    // Only phone-length numbers: a 16-digit card after "tel" is still judged by the card rules.
    const n = onlyDigits(m[0]).length;
    return n >= 7 && n <= 15;
  },
};
