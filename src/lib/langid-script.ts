// Script-based language shortcut. Some writing systems belong to (practically) one language, so counting
// letters per script answers faster and more surely than an n-gram model; scripts shared by several
// languages (Latin, Cyrillic, Arabic, Devanagari) are left to the statistical detector.

/** Writing systems used by one language in practice, with that language's ISO 639-1 code. */
const UNIQUE_SCRIPTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\p{Script=Thai}/u, "th"],
  [/\p{Script=Hangul}/u, "ko"],
  [/\p{Script=Tamil}/u, "ta"],
  [/\p{Script=Bengali}/u, "bn"],
  [/\p{Script=Telugu}/u, "te"],
  [/\p{Script=Kannada}/u, "kn"],
  [/\p{Script=Malayalam}/u, "ml"],
  [/\p{Script=Gujarati}/u, "gu"],
  [/\p{Script=Gurmukhi}/u, "pa"],
  [/\p{Script=Oriya}/u, "or"],
  [/\p{Script=Sinhala}/u, "si"],
  [/\p{Script=Lao}/u, "lo"],
  [/\p{Script=Khmer}/u, "km"],
  [/\p{Script=Myanmar}/u, "my"],
  [/\p{Script=Georgian}/u, "ka"],
  [/\p{Script=Armenian}/u, "hy"],
  [/\p{Script=Greek}/u, "el"],
  [/\p{Script=Hebrew}/u, "he"],
];

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LETTER = /\p{L}/u;

/**
 * A CJK character carries about a word of meaning, a Latin letter a fraction of one; weighting them keeps
 * "如何在 Python 中使用 asyncio" Chinese although it has more Latin letters than Han characters.
 */
const CJK_WEIGHT = 3;
/** Share of weighted letters a unique script must hold before the shortcut answers. */
const MIN_SHARE = 0.5;
/** Kana among Han+kana above which CJK text is Japanese: every Japanese sentence has particles in kana. */
const MIN_KANA_SHARE = 0.05;

export interface ScriptGuess {
  lang: string;
  /** The script's share of the (weighted) letters, 0.5–1. */
  confidence: number;
}

/** Returns the language when one unique script dominates the text, otherwise undefined. */
export function detectByScript(text: string): ScriptGuess | undefined {
  let total = 0;
  let han = 0;
  let kana = 0;
  const counts = new Map<string, number>();
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    if (HAN.test(ch)) {
      han += CJK_WEIGHT;
      total += CJK_WEIGHT;
      continue;
    }
    if (KANA.test(ch)) {
      kana += CJK_WEIGHT;
      total += CJK_WEIGHT;
      continue;
    }
    // Latin is by far the most common letter: skip the script table for it.
    if (ch <= "\u024f") {
      total += 1;
      continue;
    }
    const hit = UNIQUE_SCRIPTS.find(([re]) => re.test(ch));
    if (hit === undefined) {
      total += 1;
      continue;
    }
    const weight = hit[1] === "ko" ? CJK_WEIGHT : 1;
    total += weight;
    counts.set(hit[1], (counts.get(hit[1]) ?? 0) + weight);
  }
  if (total === 0) return undefined;
  const cjk = han + kana;
  if (cjk / total >= MIN_SHARE) {
    const lang = kana / cjk >= MIN_KANA_SHARE ? "ja" : "zh";
    return { lang, confidence: cjk / total };
  }
  let best: [string, number] | undefined;
  for (const entry of counts) if (best === undefined || entry[1] > best[1]) best = entry;
  if (best !== undefined && best[1] / total >= MIN_SHARE) return { lang: best[0], confidence: best[1] / total };
  return undefined;
}
