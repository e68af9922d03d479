// POST /v1/completions and POST /v1/embeddings bodies -> canonical requests.
import type { CompletionRequest, EmbeddingRequest } from "../../spec/index.js";
import { invalid, isObject, optBoolean, optInteger, optNumber, optStop, optString, requireModel, splitExtra } from "./validate.js";

const COMPLETION_KNOWN = new Set([
  "model", "prompt", "stream", "stream_options", "max_tokens", "temperature", "top_p", "stop", "seed", "n", "echo",
  "suffix", "presence_penalty", "frequency_penalty", "logprobs", "user",
]);

export function parseCompletionRequest(body: unknown): CompletionRequest {
  if (!isObject(body)) throw invalid("body", "The request body must be a JSON object.");
  requireModel(body);
  const p = body.prompt;
  if (typeof p !== "string" && !(Array.isArray(p) && p.length > 0 && p.every((x) => typeof x === "string"))) {
    throw invalid("prompt", "'prompt' must be a string or a non-empty array of strings.");
  }
  optBoolean(body, "stream");
  optBoolean(body, "echo");
  optInteger(body, "max_tokens", 1);
  optNumber(body, "temperature", 0, 2);
  optNumber(body, "top_p", 0, 1);
  optStop(body);
  optInteger(body, "seed", Number.MIN_SAFE_INTEGER);
  optInteger(body, "n", 1, 128);
  optNumber(body, "presence_penalty", -2, 2);
  optNumber(body, "frequency_penalty", -2, 2);
  optInteger(body, "logprobs", 0, 20);
  optString(body, "suffix");
  optString(body, "user");
  return splitExtra<CompletionRequest>(body, COMPLETION_KNOWN);
}

const EMBEDDING_KNOWN = new Set(["model", "input", "encoding_format", "dimensions", "user"]);
const MAX_INPUTS = 2048;

function isTokenArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x));
}

export function parseEmbeddingRequest(body: unknown): EmbeddingRequest {
  if (!isObject(body)) throw invalid("body", "The request body must be a JSON object.");
  requireModel(body);
  const input = body.input;
  const ok =
    (typeof input === "string" && input.length > 0) ||
    (Array.isArray(input) &&
      input.length > 0 &&
      input.length <= MAX_INPUTS &&
      (input.every((x) => typeof x === "string" && x.length > 0) || isTokenArray(input) || input.every(isTokenArray)));
  if (!ok) {
    throw invalid("input", `'input' must be a non-empty string, an array of up to ${MAX_INPUTS} non-empty strings, or token arrays.`);
  }
  const fmt = body.encoding_format;
  if (fmt !== undefined && fmt !== null && fmt !== "float" && fmt !== "base64") {
    throw invalid("encoding_format", "'encoding_format' must be float or base64.");
  }
  optInteger(body, "dimensions", 1, 65536);
  optString(body, "user");
  return splitExtra<EmbeddingRequest>(body, EMBEDDING_KNOWN);
}
