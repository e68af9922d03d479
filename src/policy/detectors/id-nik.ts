// Indonesia NIK: 16 digits = province, regency, district (2 digits each), DDMMYY birth date (women +40 on
// the day), 4-digit serial. No checksum: province, date and a non-zero serial must be valid.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { validDate } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

const PROVINCES = new Set([11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97]);

export function nikValid(d: string): boolean {
  if (d.length !== 16 || !PROVINCES.has(Number(d.slice(0, 2)))) return false;
  if (d.slice(2, 4) === "00" || d.slice(4, 6) === "00" || d.slice(12) === "0000") return false;
  let day = Number(d.slice(6, 8));
  if (day > 40) day -= 40;
  // Any year works for the day/month check except 29 Feb: 2000 is a leap year, so it admits that too.
  return validDate(2000, Number(d.slice(8, 10)), day);
}

export const idNik: Detector = {
  kind: "id_nik",
  category: "pii",
  label: "ID",
  trigger: digits(16),
  fits: stickyShape(`\\d{16}${RIGHT_NUMBER}`),
  match: stickyMatcher(`\\d{16}${RIGHT_NUMBER}`, nikValid),
};
