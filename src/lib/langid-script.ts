// Script-based language shortcut. Some writing systems belong to (practically) one language, so counting
// letters per script answers faster and more surely than an n-gram model; scripts shared by several
// languages (Latin, Cyrillic, Arabic, Devanagari) are left to the statistical detector.

/** Unicode blocks of writing systems used by one language in practice: [first, last, ISO 639-1]. */
const UNIQUE_BLOCKS: ReadonlyArray<readonly [number, number, string]> = [
  [0x0370, 0x03ff, "el"],
  [0x0530, 0x058f, "hy"],
  [0x0590, 0x05ff, "he"],
  [0x0980, 0x09ff, "bn"],
  [0x0a00, 0x0a7f, "pa"],
  [0x0a80, 0x0aff, "gu"],
  [0x0b00, 0x0b7f, "or"],
  [0x0b80, 0x0bff, "ta"],
  [0x0c00, 0x0c7f, "te"],
  [0x0c80, 0x0cff, "kn"],
  [0x0d00, 0x0d7f, "ml"],
  [0x0d80, 0x0dff, "si"],
  [0x0e00, 0x0e7f, "th"],
  [0x0e80, 0x0eff, "lo"],
  [0x1000, 0x109f, "my"],
  [0x10a0, 0x10ff, "ka"],
  [0x1100, 0x11ff, "ko"],
  [0x1780, 0x17ff, "km"],
  [0x3130, 0x318f, "ko"],
  [0xac00, 0xd7af, "ko"],
];

const isKana = (cp: number): boolean =>
  (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9f);
const isHan = (cp: number): boolean =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0x20000 && cp <= 0x2ebef);

/**
 * A CJK character carries about a word of meaning, a Latin letter a fraction of one; weighting them keeps
 * "如何在 Python 中使用 asyncio" Chinese although it has more Latin letters than Han characters.
 */
const CJK_WEIGHT = 3;
/** Share of weighted letters a unique script must hold before the shortcut answers. */
const MIN_SHARE = 0.5;
/** Kana among Han+kana above which CJK text is Japanese: every Japanese sentence has particles in kana. */
const MIN_KANA_SHARE = 0.05;
const LETTER = /\p{L}|\p{M}/u;

export interface ScriptGuess {
  lang: string;
  /** The script's share of the (weighted) letters, 0.5–1. */
  confidence: number;
}

function blockLanguage(cp: number): string | undefined {
  for (const [first, last, lang] of UNIQUE_BLOCKS) {
    if (cp < first) return undefined;
    if (cp <= last) return lang;
  }
  return undefined;
}

export interface ScriptAnalysis {
  /** Letters counted, CJK weighted: below a few there is nothing to detect. */
  letters: number;
  /** Set when one unique script dominates the text. */
  guess: ScriptGuess | undefined;
}

/** Returns the language when one unique script dominates the text, otherwise undefined. */
export function detectByScript(text: string): ScriptGuess | undefined {
  return analyzeScripts(text).guess;
}

/** One pass over the text: letter count and, when one unique script dominates, its language. */
export function analyzeScripts(text: string): ScriptAnalysis {
  let total = 0;
  let han = 0;
  let kana = 0;
  const counts = new Map<string, number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      // ASCII letters count as Latin; digits, spaces and punctuation are no evidence at all.
      if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) total += 1;
      continue;
    }
    if (isHan(cp)) {
      han += CJK_WEIGHT;
      total += CJK_WEIGHT;
    } else if (isKana(cp)) {
      kana += CJK_WEIGHT;
      total += CJK_WEIGHT;
    } else if (LETTER.test(ch)) {
      const lang = blockLanguage(cp);
      const weight = lang === "ko" ? CJK_WEIGHT : 1;
      total += weight;
      if (lang !== undefined) counts.set(lang, (counts.get(lang) ?? 0) + weight);
    }
  }
  if (total === 0) return { letters: 0, guess: undefined };
  const cjk = han + kana;
  if (cjk / total >= MIN_SHARE) {
    return { letters: total, guess: { lang: kana / cjk >= MIN_KANA_SHARE ? "ja" : "zh", confidence: cjk / total } };
  }
  let best: [string, number] | undefined;
  for (const entry of counts) if (best === undefined || entry[1] > best[1]) best = entry;
  if (best !== undefined && best[1] / total >= MIN_SHARE) return { letters: total, guess: { lang: best[0], confidence: best[1] / total } };
  return { letters: total, guess: undefined };
}
