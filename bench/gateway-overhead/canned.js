// @ts-check
// What the fake upstream answers: one chat completion as JSON, and the same answer as seven SSE events.
// Kept here (not inside the nginx config) so the harness can check what came back through each gateway.

export const CANNED_MODEL = "canned-model";

export const CANNED_JSON = JSON.stringify({
  id: "chatcmpl-bench0001",
  object: "chat.completion",
  created: 1764300000,
  model: CANNED_MODEL,
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Hello! How can I help you today?" },
      logprobs: null,
      finish_reason: "stop",
    },
  ],
  usage: { prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 },
});

/** @param {Record<string, unknown>} delta @param {string | null} finish */
function chunk(delta, finish) {
  return JSON.stringify({
    id: "chatcmpl-bench0001",
    object: "chat.completion.chunk",
    created: 1764300000,
    model: CANNED_MODEL,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
}

/** The data lines of the stream, in order; the last one is the `[DONE]` sentinel. */
export const CANNED_SSE_EVENTS = [
  chunk({ role: "assistant", content: "" }, null),
  chunk({ content: "Hello!" }, null),
  chunk({ content: " How can I help" }, null),
  chunk({ content: " you today?" }, null),
  chunk({}, "stop"),
  JSON.stringify({
    id: "chatcmpl-bench0001",
    object: "chat.completion.chunk",
    created: 1764300000,
    model: CANNED_MODEL,
    choices: [],
    usage: { prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 },
  }),
  "[DONE]",
];

/**
 * The request bodies every subject receives (only the model name differs between subjects).
 * @param {string} model
 * @param {boolean} stream
 */
export function chatBody(model, stream) {
  /** @type {Record<string, unknown>} */
  const body = {
    model,
    messages: [
      { role: "system", content: "You are a concise assistant." },
      { role: "user", content: "Reply with one short greeting." },
    ],
    max_tokens: 32,
    temperature: 0,
  };
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return JSON.stringify(body);
}
