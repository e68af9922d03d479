// XCOPA suite: one JSONL per language and split; the answer is the number of the right choice.
import type { LoadOptions } from "./load-mgsm.js";
import { locateFiles } from "./locate.js";
import { parseXcopaJsonl } from "./parse-xcopa.js";
import { PRESETS } from "./presets.js";
import { readSource } from "./source.js";
import { XCOPA_TEMPLATES } from "./templates-xcopa.js";
import type { EvalItem, Suite } from "./types.js";

export async function loadXcopa(options: LoadOptions & { split?: "test" | "val" }): Promise<Suite> {
  const split = options.split ?? "test";
  const locations = await locateFiles(options.data, PRESETS.xcopa, options.langs, { split });
  const items: EvalItem[] = [];
  for (const [i, lang] of options.langs.entries()) {
    const location = locations[i] ?? "";
    const rows = parseXcopaJsonl(await readSource(location, { signal: options.signal }), location);
    for (const row of rows.slice(0, options.limit ?? rows.length)) {
      items.push({
        id: `${split}-${row.idx}`,
        lang,
        vars: { premise: row.premise, choice1: row.choice1, choice2: row.choice2, question: row.question },
        expected: String(row.label + 1),
        assert: [{ type: "choice", choices: ["1", "2"] }],
      });
    }
  }
  return { name: `xcopa-${split}`, items, templates: XCOPA_TEMPLATES };
}
