// Token boundaries that work in CJK and Thai text, where numbers sit directly against letters of the
// script with no spaces: only ASCII letters and digits (and joiners between them) count as "inside a token".
// `\b` is useless there, so detectors use these lookarounds instead.

/** Not preceded by an ASCII alphanumeric, nor by an alphanumeric plus a joiner (ORD-2024…, v1.2, #123). */
export const LEFT = "(?<![0-9A-Za-z_]|[0-9A-Za-z_][-./:]|[#])";
/** Not followed by an ASCII alphanumeric, nor by a joiner plus an alphanumeric. */
export const RIGHT = "(?![0-9A-Za-z_]|[-./:@][0-9A-Za-z])";
/** Numbers use RIGHT too, plus groupContinues() in code (a lookahead cannot see whether the match had spaces). */
export const RIGHT_NUMBER = RIGHT;

/**
 * True when a number written in space-separated groups goes on with another group: 12 digits in groups of
 * four followed by " 1234" are the start of a 16-digit number, not a 12-digit identifier.
 */
export function groupContinues(value: string, text: string, end: number): boolean {
  const next = text.charCodeAt(end);
  if (next !== 32 && next !== 160) return false;
  const after = text.charCodeAt(end + 1);
  return after >= 48 && after <= 57 && (value.includes(" ") || value.includes("\u00a0"));
}

export function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** A sticky shape test: the pattern fits at `at` as a whole number token (no validator). */
export function stickyShape(source: string) {
  const re = new RegExp(source, "y");
  return (text: string, at: number): boolean => {
    re.lastIndex = at;
    const m = re.exec(text);
    return m !== null && !groupContinues(m[0], text, at + m[0].length);
  };
}

/** A sticky matcher: the detector's pattern tried exactly at `at`, then an optional validator. */
export function stickyMatcher(source: string, validate?: (value: string, text: string, start: number) => boolean) {
  const re = new RegExp(source, "y");
  return (text: string, at: number) => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null) return undefined;
    const value = m[0];
    if (groupContinues(value, text, at + value.length)) return undefined;
    if (validate !== undefined && !validate(value, text, at)) return undefined;
    return { start: at, end: at + value.length };
  };
}
