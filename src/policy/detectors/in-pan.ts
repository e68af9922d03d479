// India PAN: five letters, four digits, a letter. No published checksum; the 4th letter must be a holder
// type (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local authority, J juridical, G gov).
import { RIGHT, stickyMatcher } from "../boundaries.js";
import type { Detector } from "../types.js";
import { CAPITALS_TRIGGER } from "./triggers.js";

export const inPan: Detector = {
  kind: "in_pan",
  category: "pii",
  label: "ID",
  trigger: CAPITALS_TRIGGER,
  match: stickyMatcher(`[A-Z]{3}[PCHFATBLJG][A-Z]\\d{4}[A-Z]${RIGHT}`),
};
