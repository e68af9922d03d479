// Renders an item into chat messages with its suite's template for the item's language. User overrides
// replace a language's template whole (a half-merged prompt would be neither theirs nor ours).
import type { ChatMessage } from "../spec/index.js";
import { GatewayError } from "../errors/index.js";
import type { EvalItem, PromptTemplate, TemplateSet } from "./types.js";

export function mergeTemplates(base: TemplateSet, overrides: TemplateSet | undefined): TemplateSet {
  return overrides === undefined ? base : { ...base, ...overrides };
}

export function templateFor(templates: TemplateSet, lang: string): PromptTemplate {
  const t = templates[lang] ?? templates["*"];
  if (t === undefined) throw new GatewayError("invalid_request", `no prompt template for language "${lang}" and no "*" template`);
  return t;
}

function fill(text: string, item: EvalItem, t: PromptTemplate): string {
  return text.replace(/\{\{\s*(label:)?([\w-]+)\s*\}\}/g, (all, label: string | undefined, name: string) => {
    const value = item.vars?.[name];
    if (value === undefined) {
      throw new GatewayError("invalid_request", `template for "${item.lang}" uses {{${name}}} but item ${item.id} has no "${name}"`);
    }
    return label === undefined ? value : (t.labels?.[value] ?? value);
  });
}

export function renderMessages(item: EvalItem, templates: TemplateSet): ChatMessage[] {
  if (item.messages !== undefined) return item.messages;
  const t = templateFor(templates, item.lang);
  const messages: ChatMessage[] = [];
  if (t.system !== undefined) messages.push({ role: "system", content: fill(t.system, item, t) });
  messages.push({ role: "user", content: fill(t.user, item, t) });
  return messages;
}
