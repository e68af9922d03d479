// @ts-check
// A fast canned upstream for the provider-client bench, run as its own process (pinned to another core):
// POST /v1/chat/completions answers JSON, or 8 SSE events plus usage when the body asks for a stream.
import { createServer } from "node:http";

const base = { id: "chatcmpl-bench", created: 1764300000, model: "canned" };
const JSON_BODY = JSON.stringify({
  ...base,
  object: "chat.completion",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello! How can I help you today?" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 },
});
const chunk = (/** @type {object} */ delta, /** @type {string|null} */ finish) =>
  `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const SSE_BODY =
  chunk({ role: "assistant", content: "" }, null) +
  ["Hello!", " How", " can", " I", " help", " you", " today?"].map((t) => chunk({ content: t }, null)).join("") +
  chunk({}, "stop") +
  `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 } })}\n\n` +
  "data: [DONE]\n\n";

const server = createServer((req, res) => {
  const parts = [];
  req.on("data", (c) => parts.push(c));
  req.on("end", () => {
    const stream = Buffer.concat(parts).includes('"stream":true');
    if (stream) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(SSE_BODY);
    } else {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(JSON_BODY) });
      res.end(JSON_BODY);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  process.stdout.write(`${typeof addr === "object" && addr ? addr.port : 0}\n`);
});
process.on("SIGTERM", () => process.exit(0));
