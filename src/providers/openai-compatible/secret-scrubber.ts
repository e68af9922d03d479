// Upstream error messages are shown to clients, and vendors like to echo what they received ("Incorrect
// API key provided: sk-ab***cd"). Everything resembling our credential leaves through this filter.

const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
/** Vendor key shapes (sk-…, sk-proj-…, partially masked with *), long enough not to eat ordinary words. */
const KEY_LIKE = /\b(sk|pk|rk)-[A-Za-z0-9_*.~+/=-]{6,}/g;
const AUTH_SCHEME = /^(Bearer|Basic)\s+/i;
const WHITESPACE = /\s+/g;
const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie/i;
const REDACTED = "[redacted]";
const MAX_MESSAGE = 800;

export class SecretScrubber {
  private readonly secrets: readonly string[];

  constructor(apiKey: string | undefined, headers: Readonly<Record<string, string>> | undefined) {
    const secrets = new Set<string>();
    const add = (value: string | undefined): void => {
      if (value === undefined) return;
      const v = value.trim();
      // Short values would match ordinary words; they are not secrets worth the collateral damage.
      if (v.length >= 6) secrets.add(v);
      const bare = v.replace(AUTH_SCHEME, "");
      if (bare !== v && bare.length >= 6) secrets.add(bare);
    };
    add(apiKey);
    for (const [name, value] of Object.entries(headers ?? {})) if (SECRET_HEADER.test(name)) add(value);
    // Longest first, so a secret containing another is replaced whole.
    this.secrets = [...secrets].sort((a, b) => b.length - a.length);
  }

  /** The text with credentials replaced, newlines flattened and its length bounded. */
  scrub(text: string): string {
    let out = text.length > MAX_MESSAGE * 4 ? text.slice(0, MAX_MESSAGE * 4) : text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    out = out.replace(BEARER, `$1 ${REDACTED}`).replace(KEY_LIKE, REDACTED);
    out = out.replace(WHITESPACE, " ").trim();
    return out.length > MAX_MESSAGE ? out.slice(0, MAX_MESSAGE) + "…" : out;
  }
}
