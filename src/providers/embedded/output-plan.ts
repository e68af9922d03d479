// What a chat request asks the engine to produce: free text, JSON under a grammar (response_format), a
// forced tool call (tool_choice required / named), or text that may be a call in the template's syntax.
import type { Llama, LlamaGrammar } from "node-llama-cpp";
import { GatewayError } from "../../errors/index.js";
import { callSyntax, findUnsupportedFeature, forcedCallSchema } from "../../engine/index.js";
import type { ServedModel } from "../../engine/index.js";
import { narrowForGrammar, tightenNumberRules } from "../../engine/index.js";
import type { ChatRequest } from "../../spec/index.js";

export type OutputPlan =
  | { kind: "text" }
  | { kind: "auto-tools"; syntax: ReturnType<typeof callSyntax> }
  | { kind: "json"; grammar: LlamaGrammar; schema?: Record<string, unknown> }
  | { kind: "forced-tool"; grammar: LlamaGrammar };

export async function planOutput(req: ChatRequest, model: ServedModel): Promise<OutputPlan> {
  const llama = model.model.llama;
  const tools = req.tool_choice === "none" ? [] : (req.tools ?? []);
  const forced = tools.length > 0 && (req.tool_choice === "required" || typeof req.tool_choice === "object");
  if (forced) return { kind: "forced-tool", grammar: await schemaGrammar(llama, forcedCallSchema(tools, req.tool_choice), "tools") };
  const format = req.response_format;
  if (format?.type === "json_schema" && format.json_schema.schema) {
    const schema = format.json_schema.schema;
    const bad = findUnsupportedFeature(schema);
    if (bad) {
      throw new GatewayError(
        "invalid_request",
        `response_format.json_schema uses "${bad.keyword}" at ${bad.path}, which the embedded engine's grammar cannot enforce ` +
          `(unsupported: pattern, anyOf, allOf, not, if/then/else, patternProperties, uniqueItems, ...). Rewrite the schema without it (oneOf and enum are supported).`,
        { param: "response_format" },
      );
    }
    return { kind: "json", grammar: await schemaGrammar(llama, schema, "response_format"), schema };
  }
  if (format?.type === "json_object" || format?.type === "json_schema") return { kind: "json", grammar: await llama.getGrammarFor("json") };
  if (tools.length > 0) return { kind: "auto-tools", syntax: callSyntax(model.chatWrapper) };
  return { kind: "text" };
}

async function schemaGrammar(llama: Llama, schema: Record<string, unknown>, param: string): Promise<LlamaGrammar> {
  try {
    const base = await llama.createGrammarForJsonSchema(narrowForGrammar(schema) as never);
    return await llama.createGrammar({
      grammar: tightenNumberRules(base.grammar),
      stopGenerationTriggers: base.stopGenerationTriggers,
      trimWhitespaceSuffix: base.trimWhitespaceSuffix,
    });
  } catch (err) {
    throw new GatewayError("invalid_request", `The JSON schema in ${param} cannot be turned into a grammar: ${(err as Error).message}`, { param, cause: err });
  }
}
