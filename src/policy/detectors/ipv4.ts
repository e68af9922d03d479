// IPv4 addresses in dotted-quad form.
import { RIGHT_NUMBER, stickyMatcher } from "../boundaries.js";
import type { Detector } from "../types.js";
import { digits } from "./triggers.js";

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

export const ipv4: Detector = {
  kind: "ip_address",
  category: "pii",
  label: "IP",
  trigger: digits(4),
  // Not followed by another dot-number, so version strings like 1.2.3.4.5 are left alone.
  match: stickyMatcher(`${OCTET}(?:\\.${OCTET}){3}(?!\\.\\d)${RIGHT_NUMBER}`),
};
