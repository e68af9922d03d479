// OpenAI-style sampling fields mapped to llama.cpp's sampler. Defaults follow llama-server's
// (temperature 0.8, top_k 40, top_p 0.95, min_p 0.05); temperature 0 is greedy.
import type { LlamaContextSequenceRepeatPenalty, SequenceEvaluateOptions, Token } from "node-llama-cpp";

export interface SamplingRequest {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  repetition_penalty?: number;
}

/** Tokens looked back over for penalties, as llama.cpp's default `penalty_last_n`. */
const PENALTY_WINDOW = 64;

export function samplingOptions(req: SamplingRequest, generated: () => Token[]): SequenceEvaluateOptions {
  const options: SequenceEvaluateOptions = {
    temperature: req.temperature ?? 0.8,
    topK: req.top_k ?? 40,
    topP: req.top_p ?? 0.95,
    minP: req.min_p ?? 0.05,
    seed: req.seed ?? Math.floor(Math.random() * 0x7fffffff),
  };
  const penalty = req.repetition_penalty;
  const presence = req.presence_penalty ?? 0;
  const frequency = req.frequency_penalty ?? 0;
  if ((penalty !== undefined && penalty !== 1) || presence !== 0 || frequency !== 0) {
    const repeat: LlamaContextSequenceRepeatPenalty = {
      punishTokens: () => generated().slice(-PENALTY_WINDOW),
      maxPunishTokens: PENALTY_WINDOW,
      penalty: penalty ?? 1,
      presencePenalty: presence,
      frequencyPenalty: frequency,
    };
    options.repeatPenalty = repeat;
  }
  return options;
}
