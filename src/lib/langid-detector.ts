// The detection pipeline over any eld database: cap the text, drop code and URLs, answer from the script
// when one language owns it, otherwise ask the n-gram model and settle its Malay answers between ms and id.
import { malayOrIndonesian } from "./langid-malay.js";
import { analyzeScripts } from "./langid-script.js";

export interface DetectedLanguage {
  /** ISO 639-1 code, or "und" when the text has too few letters to tell. */
  lang: string;
  /** 0–1: the script's share of letters for the shortcut, the detector's own score otherwise. */
  confidence: number;
}

export interface DetectOptions {
  /** Characters fed to the detectors (head and tail of longer text). */
  maxChars?: number;
  /** Answer from the writing system when one language owns it (default true). */
  scriptShortcut?: boolean;
}

/** The part of eld's API the pipeline uses, so any of its databases (or a stand-in) can be plugged in. */
export interface NgramDetector {
  detect(text: string): { language: string; getScores(): Record<string, number>; isReliable(): boolean };
}

export type DetectLanguage = (text: string, options?: DetectOptions) => DetectedLanguage;

const UNDETERMINED: DetectedLanguage = { lang: "und", confidence: 0 };
/** Instructions usually lead and the question trails, so a long text is sampled at both ends. */
export const LANGID_SAMPLE_CHARS = 600;
/** Fewer (CJK-weighted) letters than this say nothing reliable about a language. */
const MIN_LETTERS = 3;

export function sampleText(text: string, max = LANGID_SAMPLE_CHARS): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  // Cut at spaces where there are some so the detector does not see half words.
  const head = text.slice(0, half).replace(/\s\S*$/u, "");
  const tail = text.slice(text.length - half).replace(/^\S*\s/u, "");
  return `${head}\n${tail}`;
}

export function createLanguageDetector(ngram: NgramDetector): DetectLanguage {
  return (text, options = {}) => {
    let sample = sampleText(text, options.maxChars ?? LANGID_SAMPLE_CHARS);
    // Code and URLs are Latin letters in any language's prompt; they would pull every answer to English.
    if (sample.includes("```")) sample = sample.replace(/```[\s\S]*?(```|$)/g, " ");
    if (sample.includes("://")) sample = sample.replace(/https?:\/\/\S+/g, " ");
    const scripts = analyzeScripts(sample);
    if (scripts.letters < MIN_LETTERS) return UNDETERMINED;
    if (options.scriptShortcut !== false && scripts.guess !== undefined) return scripts.guess;
    const result = ngram.detect(sample);
    if (result.language === "") return UNDETERMINED;
    const score = result.getScores()[result.language] ?? 0;
    const confidence = Math.max(0, Math.min(1, result.isReliable() ? score : score / 2));
    return { lang: result.language === "ms" ? malayOrIndonesian(sample) : result.language, confidence };
  };
}
