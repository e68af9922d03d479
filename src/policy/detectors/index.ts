// The built-in detectors in the order they are tried at one position: checksum-validated formats before
// format-only ones, phone numbers (the broadest shape) last among the numbers.
import type { Detector } from "../types.js";
import { apiKeyDetectors } from "./api-keys.js";
import { cnResidentId } from "./cn-resident-id.js";
import { email } from "./email.js";
import { hkId } from "./hk-id.js";
import { iban } from "./iban.js";
import { idNik } from "./id-nik.js";
import { inAadhaar } from "./in-aadhaar.js";
import { inPan } from "./in-pan.js";
import { ipv4 } from "./ipv4.js";
import { ipv6 } from "./ipv6.js";
import { jpMyNumber } from "./jp-my-number.js";
import { jwt } from "./jwt.js";
import { krRrn } from "./kr-rrn.js";
import { myMykad } from "./my-mykad.js";
import { paymentCard } from "./payment-card.js";
import { phone } from "./phone.js";
import { privateKey } from "./private-key.js";
import { sgNric } from "./sg-nric.js";
import { thNationalId } from "./th-national-id.js";
import { twNationalId } from "./tw-national-id.js";
import { connectionStringPassword, urlCredentials } from "./url-credentials.js";
import { vnCccd } from "./vn-cccd.js";

export const BUILTIN_DETECTORS: readonly Detector[] = [
  privateKey,
  jwt,
  ...apiKeyDetectors,
  urlCredentials,
  connectionStringPassword,
  email,
  cnResidentId,
  krRrn,
  thNationalId,
  paymentCard,
  vnCccd,
  jpMyNumber,
  inAadhaar,
  idNik,
  myMykad,
  ipv4,
  phone,
  sgNric,
  twNationalId,
  hkId,
  inPan,
  iban,
  ipv6,
];

/** Every built-in kind with its category, for validating `policy.block` and for documentation. */
export const BUILTIN_KINDS: ReadonlyMap<string, Detector["category"]> = new Map(BUILTIN_DETECTORS.map((d) => [d.kind, d.category]));
