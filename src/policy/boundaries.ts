// Token boundaries that work in CJK and Thai text, where numbers sit directly against letters of the
// script with no spaces: only ASCII letters and digits (and joiners between them) count as "inside a token".
// `\b` is useless there, so detectors use these lookarounds instead.

/** Not preceded by an ASCII alphanumeric, nor by an alphanumeric plus a joiner (ORD-2024…, v1.2, #123). */
export const LEFT = "(?<![0-9A-Za-z_]|[0-9A-Za-z_][-./:]|[#])";
/** Not followed by an ASCII alphanumeric, nor by a joiner plus an alphanumeric. */
export const RIGHT = "(?![0-9A-Za-z_]|[-./:@][0-9A-Za-z])";
/** For numbers also not followed by "space + digit": 12 digits in groups of four may be the start of 16. */
export const RIGHT_NUMBER = "(?![0-9A-Za-z_]|[-./:@][0-9A-Za-z]|[ \\u00a0]\\d)";

export function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** A sticky matcher: the detector's pattern tried exactly at `at`, then an optional validator. */
export function stickyMatcher(source: string, validate?: (value: string, text: string, start: number) => boolean) {
  const re = new RegExp(source, "y");
  return (text: string, at: number) => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null) return undefined;
    const value = m[0];
    if (validate !== undefined && !validate(value, text, at)) return undefined;
    return { start: at, end: at + value.length };
  };
}
