// The audit chain's hash: sha256 over the previous hash and the canonical JSON of the record's content.
// Changing, removing or reordering any record changes every hash after it.
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

export const GENESIS_HASH = "0".repeat(64);

export interface HashedContent {
  seq: number;
  time: number;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
}

export function auditHash(prevHash: string, content: HashedContent): string {
  const { seq, time, actor, action, subject, details } = content;
  return createHash("sha256")
    .update(prevHash)
    .update(canonicalJson({ seq, time, actor, action, subject, details }))
    .digest("hex");
}
