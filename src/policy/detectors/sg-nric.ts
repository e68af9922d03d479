// Singapore NRIC/FIN: prefix letter, 7 digits, check letter. S/T (citizens) and F/G (foreigners) have a
// checksum (T and G add 4); M-series FINs (from 2022) use a different, unpublished scheme: format only.
import { RIGHT, stickyMatcher } from "../boundaries.js";
import { weightedSum } from "../checksums.js";
import type { Detector } from "../types.js";
import { CAPITALS_TRIGGER } from "./triggers.js";

const WEIGHTS = [2, 7, 6, 5, 4, 3, 2];

export function nricValid(id: string): boolean {
  const prefix = id[0]!;
  if (prefix === "M") return true;
  const s = weightedSum(id.slice(1, 8), WEIGHTS) + (prefix === "T" || prefix === "G" ? 4 : 0);
  const table = prefix === "S" || prefix === "T" ? "JZIHGFEDCBA" : "XWUTRQPNMLK";
  return table[s % 11] === id[8];
}

export const sgNric: Detector = {
  kind: "sg_nric",
  category: "pii",
  label: "ID",
  trigger: CAPITALS_TRIGGER,
  match: stickyMatcher(`[STFGM]\\d{7}[A-Z]${RIGHT}`, nricValid),
};
