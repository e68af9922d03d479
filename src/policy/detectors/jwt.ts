// JSON Web Tokens: base64url header and payload (both JSON objects, so both start "eyJ") and a signature.
import { LEFT, RIGHT, stickyMatcher } from "../boundaries.js";
import type { Detector } from "../types.js";

export const jwt: Detector = {
  kind: "jwt",
  category: "secret",
  label: "SECRET",
  trigger: { prefilter: "eyJ", first: "[e]", guard: `${LEFT}eyJ` },
  match: stickyMatcher(`eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}${RIGHT}`),
};
