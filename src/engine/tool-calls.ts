// Tools on the embedded engine. With tool_choice "required" or a named function the output is constrained
// by a JSON-schema grammar to {"name": ..., "arguments": {...}}; with "auto" the model writes calls in its
// chat template's own syntax (the wrapper's function-call prefix, e.g. Qwen's <tool_call>), parsed here.
import type { ChatWrapper } from "node-llama-cpp";
import { GatewayError } from "../errors/index.js";
import type { ToolChoice, ToolDefinition } from "../spec/index.js";
import { findUnsupportedFeature } from "./json-schema/unsupported.js";

export interface ParsedCall {
  name: string;
  arguments: string;
}

/** The schema forcing one call of the chosen (or any) function. */
export function forcedCallSchema(tools: readonly ToolDefinition[], choice: ToolChoice | undefined): Record<string, unknown> {
  const named = typeof choice === "object" ? choice.function.name : undefined;
  const chosen = named ? tools.filter((t) => t.function.name === named) : tools;
  if (named && chosen.length === 0) {
    throw new GatewayError("invalid_request", `tool_choice names "${named}", which is not in tools.`, { param: "tool_choice" });
  }
  const variants = chosen.map((t, i) => {
    const params = t.function.parameters ?? { type: "object", properties: {} };
    const bad = findUnsupportedFeature(params);
    if (bad) {
      throw new GatewayError(
        "invalid_request",
        `tools[${i}] (${t.function.name}) parameters use "${bad.keyword}" at ${bad.path}, which the embedded engine's grammar cannot enforce. Remove it or use a remote backend.`,
        { param: "tools" },
      );
    }
    return { type: "object", properties: { name: { const: t.function.name }, arguments: params }, required: ["name", "arguments"] };
  });
  return variants.length === 1 ? variants[0]! : { oneOf: variants };
}

export function parseForcedCall(text: string): ParsedCall {
  const value = JSON.parse(text) as { name: string; arguments: unknown };
  return { name: value.name, arguments: JSON.stringify(value.arguments ?? {}) };
}

interface CallSyntax {
  prefixes: string[];
  paramsPrefix: string;
  suffix: string;
}

function plain(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  const json = typeof value === "object" && "toJSON" in value && typeof value.toJSON === "function" ? (value.toJSON() as unknown) : value;
  const parts = Array.isArray(json) ? json : [json];
  return parts.map((p: unknown) => (typeof p === "string" ? p : typeof p === "object" && p !== null && "value" in p && typeof p.value === "string" && (p as { type?: string }).type !== "specialToken" ? p.value : "")).join("");
}

export function callSyntax(wrapper: ChatWrapper): CallSyntax {
  const call = wrapper.settings.functions.call;
  const prefixes = [plain(call.prefix), ...(call.prefixAlternateMatches ?? []).map(plain)].filter((p) => p.trim().length > 0);
  return { prefixes, paramsPrefix: plain(call.paramsPrefix), suffix: plain(call.suffix) };
}

/** True while `text` could still turn out to be (or already is) a tool call in the template's syntax. */
export function mightBeCall(text: string, syntax: CallSyntax): boolean {
  const t = text.trimStart();
  return syntax.prefixes.some((p) => p.startsWith(t) || t.startsWith(p.trim()));
}

/** Calls written in the template's syntax at the start of `text`; empty when it is plain content. */
export function parseTemplateCalls(text: string, syntax: CallSyntax): ParsedCall[] {
  const calls: ParsedCall[] = [];
  let rest = text.trimStart();
  for (;;) {
    const prefix = syntax.prefixes.find((p) => rest.startsWith(p.trim()));
    if (!prefix) break;
    rest = rest.slice(prefix.trim().length).trimStart();
    const at = syntax.paramsPrefix ? rest.indexOf(syntax.paramsPrefix) : -1;
    if (at < 0) break;
    const name = rest.slice(0, at).trim();
    rest = rest.slice(at + syntax.paramsPrefix.length);
    const parsed = leadingJson(rest);
    if (!parsed) break;
    calls.push({ name, arguments: JSON.stringify(parsed.value) });
    rest = rest.slice(parsed.length);
    const suffix = syntax.suffix.trim();
    rest = rest.trimStart();
    if (suffix && rest.startsWith(suffix)) rest = rest.slice(suffix.length);
    rest = rest.trimStart();
  }
  return calls;
}

/** The JSON value at the start of `text` and how many characters it takes. */
function leadingJson(text: string): { value: unknown; length: number } | undefined {
  for (let end = text.length; end > 0; end--) {
    const ch = text[end - 1];
    if (ch !== "}" && ch !== "]") continue;
    try {
      return { value: JSON.parse(text.slice(0, end)), length: end };
    } catch {
      // keep shrinking
    }
  }
  return undefined;
}
