// Generic suite: JSON lines of {id, lang, messages | prompt, expected, assert}, the company's own tasks.
// Items whose language is not asked for are skipped, so one file can hold every language.
import { evalJsonlItemSchema } from "../config/eval-schema.js";
import { GatewayError } from "../errors/index.js";
import type { ChatMessage } from "../spec/index.js";
import type { LoadOptions } from "./load-mgsm.js";
import { parseJsonLines } from "./parse-jsonl.js";
import { readSource } from "./source.js";
import type { Assertion, EvalItem, Suite } from "./types.js";

export async function loadJsonlSuite(
  options: Omit<LoadOptions, "data" | "langs"> & { data: string; langs?: string[]; name?: string },
): Promise<Suite> {
  const text = await readSource(options.data, { signal: options.signal });
  const perLang = new Map<string, number>();
  const seen = new Set<string>();
  const items: EvalItem[] = [];
  for (const { value, line } of parseJsonLines(text, options.data)) {
    const parsed = evalJsonlItemSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at "${issue.path.join(".")}"` : "";
      throw new GatewayError("invalid_request", `${options.data}:${line}${where}: ${issue?.message ?? "invalid item"}`);
    }
    const v = parsed.data;
    if (options.langs !== undefined && !options.langs.includes(v.lang)) continue;
    const count = perLang.get(v.lang) ?? 0;
    if (options.limit !== undefined && count >= options.limit) continue;
    const id = String(v.id);
    if (seen.has(`${v.lang}\u0000${id}`)) throw new GatewayError("invalid_request", `${options.data}:${line}: duplicate id "${id}" for "${v.lang}"`);
    seen.add(`${v.lang}\u0000${id}`);
    perLang.set(v.lang, count + 1);
    // Without an assertion, an expected text must appear in the answer: models rarely answer a bare value.
    const assert: Assertion[] = v.assert === undefined ? [{ type: "contains" }] : Array.isArray(v.assert) ? v.assert : [v.assert];
    const item: EvalItem = { id, lang: v.lang, assert };
    if (v.expected !== undefined) item.expected = v.expected;
    if (v.messages !== undefined) item.messages = v.messages as ChatMessage[];
    else item.vars = { prompt: v.prompt ?? "" };
    items.push(item);
  }
  const name = options.name ?? options.data.replace(/^.*[\\/]/, "").replace(/\.jsonl?(\?.*)?$/i, "");
  return { name, items, templates: { "*": { user: "{{prompt}}" } } };
}
