// The token loop over one context sequence: reuse the cached prefix, evaluate the rest of the prompt,
// then sample until end-of-generation, a stop sequence, or exactly `maxTokens` tokens. Yields text as it
// becomes final (whole UTF-8 characters, never part of a stop sequence) and returns exact token counts.
import type { LlamaContextSequence, LlamaGrammar, Token } from "node-llama-cpp";
import { GatewayError } from "../errors/index.js";
import { loadNodeLlamaCpp } from "./native.js";
import { samplingOptions, type SamplingRequest } from "./sampling.js";
import { StopMatcher } from "./stop-matcher.js";
import type { BatchGate } from "./batch-gate.js";

export interface GenerateOptions {
  /** Upper bound on completion tokens; clamped to the room left in the context. */
  maxTokens?: number;
  stop: readonly string[];
  sampling: SamplingRequest;
  grammar?: LlamaGrammar;
  signal?: AbortSignal;
  /** The context's batch gate, so concurrent sequences decode in one batch, in sequence-id order. */
  gate?: BatchGate;
}

export interface GenerateResult {
  finishReason: "stop" | "length";
  promptTokens: number;
  /** Every token sampled, including one that ended generation. */
  completionTokens: number;
  /** Prompt tokens served from the sequence's cache. */
  cachedTokens: number;
}

const REPLACEMENT = "\uFFFD";
const MAX_PARTIAL_TOKENS = 4;

export async function* generate(
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  opts: GenerateOptions,
): AsyncGenerator<string, GenerateResult> {
  const { LlamaGrammarEvaluationState } = await loadNodeLlamaCpp();
  const model = sequence.model;
  const contextSize = sequence.context.contextSize;
  if (prompt.length === 0) throw new GatewayError("invalid_request", "The prompt is empty.");
  if (prompt.length >= contextSize) {
    throw new GatewayError(
      "invalid_request",
      `The prompt has ${prompt.length} tokens but this model's context holds ${contextSize}. Shorten the messages or raise context_size.`,
      { param: "messages" },
    );
  }
  if (opts.maxTokens !== undefined && (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1)) {
    throw new GatewayError("invalid_request", `max_tokens must be a whole number of at least 1, got ${opts.maxTokens}.`, { param: "max_tokens" });
  }
  const room = contextSize - prompt.length;
  const maxTokens = Math.min(opts.maxTokens ?? room, room);

  // Keep the longest cached prefix; at least one prompt token must be evaluated to get logits.
  const input = prompt.slice(0, -1);
  await sequence.adaptStateToTokens(input, false);
  const cachedTokens = Math.min(sequence.nextTokenIndex, input.length);
  const toEvaluate = prompt.slice(cachedTokens);
  throwIfAborted(opts.signal);

  const generated: Token[] = [];
  const stops = [...opts.stop];
  if (opts.grammar) for (const t of opts.grammar.stopGenerationTriggers) stops.push(triggerText(t));
  const matcher = new StopMatcher(stops);
  const order = opts.gate?.priorityOf(sequence);
  const evaluation = sequence.evaluate(toEvaluate, {
    ...samplingOptions(opts.sampling, () => generated),
    ...(order !== undefined ? { evaluationPriority: order } : {}),
    ...(opts.grammar ? { grammarEvaluationState: new LlamaGrammarEvaluationState({ model, grammar: opts.grammar }) } : {}),
    yieldEogToken: true,
  });
  let finishReason: GenerateResult["finishReason"] = "length";
  let count = 0;
  const partial: Token[] = [];
  // Counted only from here: before, the sequence has nothing queued and the gate must not wait for it.
  opts.gate?.enter();
  try {
    for await (const token of evaluation) {
      count++;
      if (model.isEogToken(token)) {
        finishReason = "stop";
        break;
      }
      partial.push(token);
      const text = model.detokenize(partial, false, generated.slice(-4));
      if (text.endsWith(REPLACEMENT) && partial.length < MAX_PARTIAL_TOKENS && count < maxTokens) continue;
      generated.push(...partial);
      partial.length = 0;
      const { emit, stopped } = matcher.push(text);
      if (emit) yield emit;
      if (stopped) {
        finishReason = "stop";
        break;
      }
      if (count >= maxTokens) break;
      throwIfAborted(opts.signal);
    }
  } finally {
    opts.gate?.leave();
    await evaluation.return();
  }
  throwIfAborted(opts.signal);
  // After a stop sequence the matcher holds nothing; after EOG or the limit, held-back text is real output.
  const rest = matcher.flush();
  if (rest) yield rest;
  return { finishReason, promptTokens: prompt.length, completionTokens: count, cachedTokens };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

function triggerText(trigger: string | { toString(): string } | readonly (string | Token)[]): string {
  if (typeof trigger === "string") return trigger;
  if (isTokenList(trigger)) return trigger.filter((x): x is string => typeof x === "string").join("");
  return trigger.toString();
}

function isTokenList(x: unknown): x is readonly (string | Token)[] {
  return Array.isArray(x);
}
