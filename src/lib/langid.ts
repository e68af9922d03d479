// Language of a request, for `strategy: by_language` and the request record. bench/langid measured the
// candidates (README there): eld is the fastest and most accurate on our languages but has no Indonesian
// and answers "ms" for it, so its Malay answers are settled between ms and id by marker words; writing
// systems owned by one language skip the n-gram model altogether. Input is capped so a 100 KB prompt costs like 1 KB.
import { eld as eldLarge } from "eld/large";
import type { ChatMessage, ChatRequest } from "../spec/index.js";
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

const UNDETERMINED: DetectedLanguage = { lang: "und", confidence: 0 };
/** Instructions usually lead and the question trails, so a long text is sampled at both ends. */
export const LANGID_SAMPLE_CHARS = 600;
/** Fewer letters than this say nothing reliable about a language. */
const MIN_LETTERS = 3;
/** Our own instance: eld's settings (subset, cleanup) are per instance and others may change the global. */
const eld = eldLarge.newInstance();

export function sampleText(text: string, max = LANGID_SAMPLE_CHARS): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  // Cut at spaces where there are some so the detector does not see half words.
  const head = text.slice(0, half).replace(/\s\S*$/u, "");
  const tail = text.slice(text.length - half).replace(/^\S*\s/u, "");
  return `${head}\n${tail}`;
}

export function detectLanguage(text: string, options: DetectOptions = {}): DetectedLanguage {
  let sample = sampleText(text, options.maxChars ?? LANGID_SAMPLE_CHARS);
  // Code and URLs are Latin letters in any language's prompt; they would pull every answer towards English.
  if (sample.includes("```")) sample = sample.replace(/```[\s\S]*?(```|$)/g, " ");
  if (sample.includes("://")) sample = sample.replace(/https?:\/\/\S+/g, " ");
  const scripts = analyzeScripts(sample);
  if (scripts.letters < MIN_LETTERS) return UNDETERMINED;
  if (options.scriptShortcut !== false && scripts.guess !== undefined) return scripts.guess;
  const result = eld.detect(sample);
  if (result.language === "") return UNDETERMINED;
  const score = result.getScores()[result.language] ?? 0;
  const confidence = Math.max(0, Math.min(1, result.isReliable() ? score : score / 2));
  return { lang: result.language === "ms" ? malayOrIndonesian(sample) : result.language, confidence };
}

function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("\n");
}

/** Below this many characters the last user turn ("yes", "继续") is read together with the ones before. */
const MIN_TURN_CHARS = 40;

/** The language of the user's latest turn(s); system prompts are ignored (often English boilerplate). */
export function detectRequestLanguage(request: Pick<ChatRequest, "messages">): DetectedLanguage {
  let text = "";
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message === undefined || message.role !== "user") continue;
    text = text === "" ? messageText(message) : `${messageText(message)}\n${text}`;
    if (text.length >= MIN_TURN_CHARS) break;
  }
  return detectLanguage(text);
}
