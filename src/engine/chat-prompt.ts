// OpenAI chat messages rendered with the model's own chat template (node-llama-cpp's chat wrapper chosen
// from the GGUF's tokenizer.chat_template), tools included the way that template documents functions.
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions, ChatWrapper, LlamaModel, Token } from "node-llama-cpp";
import { GatewayError } from "../errors/index.js";
import type { ChatMessage, ContentPart, ToolDefinition } from "../spec/index.js";

export interface RenderedPrompt {
  tokens: Token[];
  /** Text stop triggers of the template (e.g. "<|im_end|>"); end-of-generation tokens stop on their own. */
  stops: string[];
}

export function messageText(content: ChatMessage["content"], index: number): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content.map((part: ContentPart) => {
    if (part.type === "text" && typeof part.text === "string") return part.text;
    throw new GatewayError(
      "invalid_request",
      `messages[${index}] has a "${part.type}" part; the embedded engine reads text only.`,
      { param: `messages[${index}].content` },
    );
  }).join("");
}

export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  messages.forEach((m, i) => {
    switch (m.role) {
      case "system":
      case "developer":
        history.push({ type: "system", text: messageText(m.content, i) });
        return;
      case "user":
        history.push({ type: "user", text: messageText(m.content, i) });
        return;
      case "assistant": {
        const response: (string | ChatModelFunctionCall)[] = [];
        const text = messageText(m.content, i);
        if (text) response.push(text);
        for (const call of m.tool_calls ?? []) {
          const item: ChatModelFunctionCall = { type: "functionCall", name: call.function.name, params: parseArguments(call.function.arguments), result: "" };
          calls.set(call.id, item);
          response.push(item);
        }
        history.push({ type: "model", response });
        return;
      }
      case "tool": {
        const call = m.tool_call_id ? calls.get(m.tool_call_id) : undefined;
        if (!call) {
          throw new GatewayError("invalid_request", `messages[${i}] answers tool_call_id "${m.tool_call_id ?? ""}", which no earlier assistant message called.`, {
            param: `messages[${i}].tool_call_id`,
          });
        }
        call.result = messageText(m.content, i);
        return;
      }
    }
  });
  history.push({ type: "model", response: [] });
  return history;
}

function parseArguments(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

export function toFunctions(tools: readonly ToolDefinition[] | undefined): ChatModelFunctions | undefined {
  if (!tools?.length) return undefined;
  const functions: Record<string, { description?: string; params?: never }> = {};
  for (const t of tools) {
    functions[t.function.name] = {
      ...(t.function.description ? { description: t.function.description } : {}),
      ...(t.function.parameters ? { params: t.function.parameters as never } : {}),
    };
  }
  return functions as ChatModelFunctions;
}

export function renderChatPrompt(
  model: LlamaModel,
  wrapper: ChatWrapper,
  messages: readonly ChatMessage[],
  tools?: readonly ToolDefinition[],
): RenderedPrompt {
  const functions = toFunctions(tools);
  const state = wrapper.generateContextState({
    chatHistory: toChatHistory(messages),
    ...(functions ? { availableFunctions: functions, documentFunctionParams: true } : {}),
  });
  const stops: string[] = [];
  for (const trigger of state.stopGenerationTriggers) {
    // Triggers made of special tokens (EOS) are end-of-generation tokens, handled by the sampler loop.
    const json = trigger.toJSON();
    const parts = Array.isArray(json) ? json : [json];
    if (parts.some((p) => typeof p !== "string" && p.type === "specialToken")) continue;
    const text = parts.map((p) => (typeof p === "string" ? p : p.value)).join("");
    if (text && !stops.includes(text)) stops.push(text);
  }
  return { tokens: state.contextText.tokenize(model.tokenizer), stops };
}
