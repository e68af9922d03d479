// The candidate language detectors behind one signature, each answering an ISO 639-1 code ("" = none).
import { eld as eldLarge } from "eld/large";
import { eld as eldSmall } from "eld/small";
import { eld as eldExtraSmall } from "eld/extrasmall";
import { detect as tinyldNormal } from "tinyld";
import { detect as tinyldHeavy } from "tinyld/heavy";
import { franc } from "franc";
import { createLanguageDetector } from "../../src/lib/langid-detector.js";
import { detectLanguage } from "../../src/lib/langid.js";

export interface Candidate {
  name: string;
  detect: (text: string) => string;
}

/** franc answers ISO 639-3; only the codes this benchmark can meet need mapping. */
const FRANC_TO_ISO1: Record<string, string> = {
  cmn: "zh", jpn: "ja", tha: "th", vie: "vi", ind: "id", zlm: "ms", tam: "ta", ben: "bn", eng: "en",
  kor: "ko", hin: "hi", spa: "es", fra: "fr", deu: "de", por: "pt", rus: "ru", tgl: "tl", sco: "sco",
};

const pipelineLarge = createLanguageDetector(eldLarge.newInstance());
const pipelineSmall = createLanguageDetector(eldSmall.newInstance());

export const CANDIDATES: Candidate[] = [
  { name: "eld 2.1 large", detect: (t) => eldLarge.detect(t).language },
  { name: "eld 2.1 small", detect: (t) => eldSmall.detect(t).language },
  { name: "eld 2.1 extrasmall", detect: (t) => eldExtraSmall.detect(t).language },
  { name: "tinyld 1.3 normal", detect: (t) => tinyldNormal(t) },
  { name: "tinyld 1.3 heavy", detect: (t) => tinyldHeavy(t) },
  { name: "franc 6.2", detect: (t) => FRANC_TO_ISO1[franc(t)] ?? franc(t) },
  { name: "eld large + ms/id words", detect: (t) => pipelineLarge(t, { scriptShortcut: false, maxChars: Infinity }).lang },
  { name: "… + 600-char cap", detect: (t) => pipelineLarge(t, { scriptShortcut: false }).lang },
  { name: "… + script shortcut", detect: (t) => pipelineLarge(t).lang },
  { name: "same pipeline, eld small", detect: (t) => pipelineSmall(t).lang },
  { name: "inhouse detectLanguage (eld extrasmall)", detect: (t) => detectLanguage(t).lang },
];

/** Module each candidate loads, for the start-up cost table. */
export const MODULES = ["eld/large", "eld/medium", "eld/small", "eld/extrasmall", "tinyld", "tinyld/heavy", "franc"];
