// Texts of known language from the shared MGSM and XCOPA data (../shared/datasets beside the checkout).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseMgsmTsv } from "../../src/eval/parse-mgsm.js";
import { parseXcopaJsonl } from "../../src/eval/parse-xcopa.js";

export interface Sample {
  lang: string;
  source: string;
  text: string;
}

export const MGSM_LANGS = ["en", "zh", "ja", "th", "bn"];
export const XCOPA_LANGS = ["zh", "th", "vi", "id", "ta"];

export function datasetsDir(): string {
  const dir = process.env.INHOUSE_DATASETS ?? new URL("../../../shared/datasets", import.meta.url).pathname;
  if (!existsSync(dir)) throw new Error(`datasets not found at ${dir}; set INHOUSE_DATASETS`);
  return dir;
}

/** MGSM questions: a word problem of 1–4 sentences, the length of a typical chat prompt. */
export function mgsmSamples(dir: string): Sample[] {
  return MGSM_LANGS.flatMap((lang) => {
    const file = join(dir, "mgsm", `mgsm_${lang}.tsv`);
    return parseMgsmTsv(readFileSync(file, "utf8"), file).map((r) => ({ lang, source: "mgsm", text: r.question }));
  });
}

/** XCOPA items (val + test) as prompt-sized text (premise and both choices), and the premise alone (short). */
export function xcopaSamples(dir: string, part: "item" | "premise"): Sample[] {
  return XCOPA_LANGS.flatMap((lang) =>
    ["val", "test"].flatMap((split) => {
      const file = join(dir, "xcopa", `${split}.${lang}.jsonl`);
      return parseXcopaJsonl(readFileSync(file, "utf8"), file).map((r) => ({
        lang,
        source: part === "item" ? "xcopa" : "xcopa-premise",
        text: part === "item" ? `${r.premise}\n1. ${r.choice1}\n2. ${r.choice2}` : r.premise,
      }));
    }),
  );
}

/** Long prompts: 40 consecutive MGSM questions joined, 4–16 KB each, to show the cost of uncapped input. */
export function longSamples(samples: Sample[]): Sample[] {
  const out: Sample[] = [];
  for (const lang of MGSM_LANGS) {
    const texts = samples.filter((s) => s.lang === lang && s.source === "mgsm").map((s) => s.text);
    for (let i = 0; i + 40 <= texts.length; i += 40) {
      out.push({ lang, source: "mgsm-long", text: texts.slice(i, i + 40).join("\n") });
    }
  }
  return out;
}
