// China resident identity card (GB 11643-1999): 6-digit region, YYYYMMDD birth date, 3-digit sequence,
// ISO 7064 mod 11-2 check character.
import { RIGHT_NUMBER, stickyMatcher, stickyShape } from "../boundaries.js";
import { validDate, weightedSum } from "../checksums.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

export function cnResidentIdValid(id: string): boolean {
  if (id.length !== 18) return false;
  const year = Number(id.slice(6, 10));
  if (!validDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
  return CHECK[weightedSum(id, WEIGHTS) % 11] === id[17]!.toUpperCase();
}

export const cnResidentId: Detector = {
  kind: "cn_resident_id",
  category: "pii",
  label: "ID",
  trigger: digits(17),
  fits: stickyShape(`\\d{17}[\\dXx]${RIGHT_NUMBER}`),
  match: stickyMatcher(`[1-9]\\d{5}(?:18|19|20)\\d{9}[\\dXx]${RIGHT_NUMBER}`, cnResidentIdValid),
};
