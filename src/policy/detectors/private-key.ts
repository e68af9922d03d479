// PEM private keys (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted), whole block. A key pasted without its END
// line (truncated) is taken up to the end of its base64 body. Inside JSON strings the newlines are "\n".
import type { Detector } from "../types.js";
import { stickyMatcher } from "../boundaries.js";

const LABEL = "(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?";

export const privateKey: Detector = {
  kind: "private_key",
  category: "secret",
  label: "SECRET",
  trigger: { prefilter: "-----BEGIN ", first: "[-]" },
  match: stickyMatcher(
    `-----BEGIN ${LABEL}-----(?:[\\s\\S]{0,16384}?-----END ${LABEL}-----|(?:[A-Za-z0-9+/=:,\\- \\t\\r\\n]|\\\\[nr])+)`,
  ),
};
