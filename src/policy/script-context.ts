// The writing system around a value, to tell apart identifiers of the same shape from different countries
// (a bare 12-digit number is a valid Japanese My Number or Indian Aadhaar about one time in ten each).
// Only used to pick the kind; whether a value is sensitive never depends on it.

export type Script = "japanese" | "indic" | "vietnamese";

const RADIUS = 48;

/** The first telling script within RADIUS characters of [start, end), or undefined. */
export function scriptNear(text: string, start: number, end: number): Script | undefined {
  const from = Math.max(0, start - RADIUS);
  const to = Math.min(text.length, end + RADIUS);
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x900) continue;
    if (c >= 0x3040 && c <= 0x30ff) return "japanese"; // hiragana, katakana
    if (c >= 0x900 && c <= 0xdff) return "indic"; // Devanagari … Malayalam, incl. Tamil
    if (c >= 0x1ea0 && c <= 0x1ef9) return "vietnamese"; // Latin letters with Vietnamese diacritics
  }
  return undefined;
}
