// A legacy text completion: the prompt as given (no chat template), same token loop as chat.
import { generate, type ModelSession } from "../../engine/index.js";
import type { CompletionRequest, FinishReason, Usage } from "../../spec/index.js";

export async function* runCompletion(
  session: ModelSession,
  tokens: number[],
  req: CompletionRequest,
  signal: AbortSignal,
): AsyncGenerator<string, { finishReason: FinishReason; usage: Usage }> {
  const stop = req.stop === undefined ? [] : Array.isArray(req.stop) ? req.stop : [req.stop];
  const result = yield* generate(session.sequence, tokens as never, {
    ...(req.max_tokens !== undefined ? { maxTokens: req.max_tokens } : {}),
    stop,
    sampling: req,
    signal,
    gate: session.model.gate,
  });
  return {
    finishReason: result.finishReason,
    usage: {
      prompt_tokens: result.promptTokens,
      completion_tokens: result.completionTokens,
      total_tokens: result.promptTokens + result.completionTokens,
    },
  };
}
