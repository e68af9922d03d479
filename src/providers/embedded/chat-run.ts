// One chat generation as a stream of events both chat() and chatStream() consume: content deltas, tool
// calls (once complete), then the finish reason and exact usage.
import { randomBase62 } from "../../lib/ids.js";
import { GatewayError } from "../../errors/index.js";
import { generate, mightBeCall, parseForcedCall, parseTemplateCalls, validateJson, type GenerateResult, type ModelSession } from "../../engine/index.js";
import type { ChatRequest, FinishReason, ToolCall, Usage } from "../../spec/index.js";
import type { OutputPlan } from "./output-plan.js";

export type ChatEvent = { type: "content"; text: string } | { type: "tool_calls"; calls: ToolCall[] };

export interface ChatEnd {
  finishReason: FinishReason;
  usage: Usage;
}

export interface ChatRunInput {
  session: ModelSession;
  prompt: number[];
  stops: string[];
  plan: OutputPlan;
  req: ChatRequest;
  signal: AbortSignal;
}

export async function* runChat(input: ChatRunInput): AsyncGenerator<ChatEvent, ChatEnd> {
  const { session, prompt, stops, plan, req, signal } = input;
  const userStops = req.stop === undefined ? [] : Array.isArray(req.stop) ? req.stop : [req.stop];
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  const tokens = generate(session.sequence, prompt as never, {
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    // Grammar-constrained output ignores user stop sequences: cutting JSON short would break it.
    stop: plan.kind === "json" || plan.kind === "forced-tool" ? stops : [...stops, ...userStops],
    sampling: req,
    ...(plan.kind === "json" || plan.kind === "forced-tool" ? { grammar: plan.grammar } : {}),
    signal,
    gate: session.model.gate,
  });

  let buffered = "";
  let holding = plan.kind === "forced-tool" || plan.kind === "auto-tools";
  let result: GenerateResult | undefined;
  try {
    for (;;) {
      const step = await tokens.next();
      if (step.done) {
        result = step.value;
        break;
      }
      if (!holding) {
        yield { type: "content", text: step.value };
        continue;
      }
      buffered += step.value;
      if (plan.kind === "auto-tools" && !mightBeCall(buffered, plan.syntax)) {
        holding = false;
        yield { type: "content", text: buffered };
        buffered = "";
      }
    }
  } finally {
    // Stops the token loop when the consumer returns early (client abort) or anything throws.
    if (!result) await tokens.return(undefined as never).catch(() => undefined);
  }
  let finishReason: FinishReason = result.finishReason;

  if (plan.kind === "forced-tool" || plan.kind === "auto-tools") {
    const calls = toolCalls(plan, buffered, result.finishReason);
    if (calls.length > 0) {
      yield { type: "tool_calls", calls };
      finishReason = "tool_calls";
    } else if (buffered) {
      yield { type: "content", text: buffered };
    }
  }
  return {
    finishReason,
    usage: {
      prompt_tokens: result.promptTokens,
      completion_tokens: result.completionTokens,
      total_tokens: result.promptTokens + result.completionTokens,
      prompt_tokens_details: { cached_tokens: result.cachedTokens },
    },
  };
}

function toolCalls(plan: OutputPlan, text: string, finish: "stop" | "length"): ToolCall[] {
  if (plan.kind === "forced-tool") {
    if (finish === "length") return [];
    const call = parseForcedCall(text);
    return [{ id: callId(), type: "function", function: call }];
  }
  if (plan.kind !== "auto-tools") return [];
  return parseTemplateCalls(text, plan.syntax).map((c) => ({ id: callId(), type: "function", function: c }));
}

function callId(): string {
  return `call_${randomBase62(24)}`;
}

/** Checks finished JSON output against the request's schema; the grammar leaves numbers unchecked. */
export function checkJsonOutput(plan: OutputPlan, content: string, finish: FinishReason): void {
  if (plan.kind !== "json" || finish === "length") return;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (err) {
    throw new GatewayError("upstream_error", `The model's JSON output did not parse: ${(err as Error).message}`);
  }
  const problem = plan.schema ? validateJson(value, plan.schema) : null;
  if (problem) throw new GatewayError("upstream_error", `The model's JSON output does not match the schema: ${problem}. Retry the request.`);
}
