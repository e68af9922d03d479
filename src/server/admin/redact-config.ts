// The config as GET /admin/config shows it: every secret replaced. Secrets are found by where they sit
// (fields named like keys, passwords and tokens; every header value) and by what they are (credentials
// inside URLs: user:pass@host, and key-like query parameters), so a new secret field is covered by its name.
export const REDACTED = "[redacted]";

const SECRET_FIELD = /(^|_)(key|secret|password|passwd|token|credentials?)$|api_?key|authorization|bearer/i;
const SECRET_PARAM = /key|secret|password|token|signature|auth/i;

/** Removes credentials from a URL-looking string; other strings come back unchanged. */
export function redactUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not parseable but URL-shaped: cut anything between "://" and "@".
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, `$1${REDACTED}@`);
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = REDACTED;
    url.password = "";
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) {
      url.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? url.toString() : value;
}

export function redactConfig(value: unknown, field = ""): unknown {
  if (typeof value === "string") return SECRET_FIELD.test(field) ? REDACTED : redactUrl(value);
  if (Array.isArray(value)) return value.map((v) => redactConfig(v, ""));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "headers" && v !== null && typeof v === "object" && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.keys(v).map((h) => [h, REDACTED]));
    } else out[k] = redactConfig(v, k);
  }
  return out;
}
