// Virtual key secrets: "ih-" + 40 base62 characters (≈238 random bits). Only the sha256 is stored; with
// that much entropy a slow password hash adds cost on every request and no protection.
import { createHash } from "node:crypto";
import { randomBase62 } from "../lib/ids.js";

export const KEY_PREFIX = "ih-";
const SECRET_CHARS = 40;
/** Characters of the secret kept for display: "ih-" + 5, too few to help a guess. */
const DISPLAY_CHARS = 8;

export function generateSecret(): string {
  return KEY_PREFIX + randomBase62(SECRET_CHARS);
}

/** A cheap shape check so garbage never costs a database query. */
export function looksLikeSecret(secret: string): boolean {
  return secret.length === KEY_PREFIX.length + SECRET_CHARS && secret.startsWith(KEY_PREFIX);
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, DISPLAY_CHARS);
}

export function generateKeyId(): string {
  return "key_" + randomBase62(16);
}
