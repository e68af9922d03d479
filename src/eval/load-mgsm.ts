// MGSM suite: one TSV per language; the answer is scored as a number.
import { locateFiles } from "./locate.js";
import { parseMgsmTsv } from "./parse-mgsm.js";
import { PRESETS } from "./presets.js";
import { readSource } from "./source.js";
import { MGSM_TEMPLATES } from "./templates-mgsm.js";
import type { EvalItem, Suite } from "./types.js";

export interface LoadOptions {
  langs: string[];
  /** A path or URL (see locateFiles); the preset's canonical URL when absent. */
  data?: string;
  /** First N items per language. */
  limit?: number;
  signal?: AbortSignal;
}

export async function loadMgsm(options: LoadOptions): Promise<Suite> {
  const locations = await locateFiles(options.data, PRESETS.mgsm, options.langs);
  const items: EvalItem[] = [];
  for (const [i, lang] of options.langs.entries()) {
    const location = locations[i] ?? "";
    const rows = parseMgsmTsv(await readSource(location, { signal: options.signal }), location);
    rows.slice(0, options.limit ?? rows.length).forEach((row, n) => {
      items.push({
        id: String(n + 1),
        lang,
        vars: { question: row.question },
        // Upstream writes thousands with commas ("2,125"); the numeric scorer reads both forms.
        expected: row.answer,
        assert: [{ type: "numeric" }],
      });
    });
  }
  return { name: "mgsm", items, templates: MGSM_TEMPLATES };
}
