// POST /v1/chat/completions body -> canonical ChatRequest, with errors in OpenAI's shape.
import type { ChatRequest } from "../../spec/index.js";
import {
  invalid,
  isObject,
  optBoolean,
  optInteger,
  optNumber,
  optStop,
  optString,
  requireModel,
  splitExtra,
  type Json,
} from "./validate.js";

const KNOWN = new Set([
  "model", "messages", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
  "response_format", "temperature", "top_p", "top_k", "min_p", "max_tokens", "max_completion_tokens", "stop",
  "seed", "n", "presence_penalty", "frequency_penalty", "repetition_penalty", "logit_bias", "logprobs",
  "top_logprobs", "user",
]);

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

function checkMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid("messages", "'messages' must be a non-empty array of {role, content} objects.");
  }
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    const param = `messages[${i}]`;
    if (!isObject(m)) throw invalid(param, `${param} must be an object with 'role' and 'content'.`);
    if (typeof m.role !== "string" || !ROLES.has(m.role)) {
      throw invalid(`${param}.role`, `${param}.role must be one of system, developer, user, assistant, tool.`);
    }
    const c = m.content;
    if (c !== undefined && c !== null && typeof c !== "string") {
      if (!Array.isArray(c)) throw invalid(`${param}.content`, `${param}.content must be a string or an array of content parts.`);
      for (let j = 0; j < c.length; j++) {
        const part: unknown = c[j];
        if (!isObject(part) || typeof part.type !== "string") {
          throw invalid(`${param}.content[${j}]`, `${param}.content[${j}] must be an object with a 'type'.`);
        }
        if (part.type === "text" && typeof part.text !== "string") {
          throw invalid(`${param}.content[${j}].text`, `${param}.content[${j}].text must be a string.`);
        }
      }
    } else if ((c === undefined || c === null) && m.role !== "assistant") {
      throw invalid(`${param}.content`, `${param}.content is required for role '${m.role}'.`);
    }
    if (m.role === "tool" && typeof m.tool_call_id !== "string") {
      throw invalid(`${param}.tool_call_id`, `${param}.tool_call_id is required for role 'tool'.`);
    }
    if (m.tool_calls !== undefined && m.tool_calls !== null) {
      if (!Array.isArray(m.tool_calls)) throw invalid(`${param}.tool_calls`, `${param}.tool_calls must be an array.`);
      for (let j = 0; j < m.tool_calls.length; j++) {
        const tc: unknown = m.tool_calls[j];
        if (!isObject(tc) || !isObject(tc.function) || typeof tc.function.name !== "string") {
          throw invalid(`${param}.tool_calls[${j}]`, `${param}.tool_calls[${j}] must be {id, type: "function", function: {name, arguments}}.`);
        }
      }
    }
  }
}

function checkTools(body: Json): void {
  const tools = body.tools;
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalid("tools", "'tools' must be an array of {type: \"function\", function: {name, parameters}}.");
  for (let i = 0; i < tools.length; i++) {
    const t: unknown = tools[i];
    if (!isObject(t) || t.type !== "function" || !isObject(t.function) || typeof t.function.name !== "string") {
      throw invalid(`tools[${i}]`, `tools[${i}] must be {type: "function", function: {name, description?, parameters?}}.`);
    }
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(t.function.name)) {
      throw invalid(`tools[${i}].function.name`, `tools[${i}].function.name must be 1-64 letters, digits, _ or -.`);
    }
    if (t.function.parameters !== undefined && !isObject(t.function.parameters)) {
      throw invalid(`tools[${i}].function.parameters`, `tools[${i}].function.parameters must be a JSON Schema object.`);
    }
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return;
  if (typeof choice === "string") {
    if (!["none", "auto", "required"].includes(choice)) throw invalid("tool_choice", "'tool_choice' must be none, auto, required or {type: \"function\", function: {name}}.");
    return;
  }
  if (!isObject(choice) || !isObject(choice.function) || typeof choice.function.name !== "string") {
    throw invalid("tool_choice", "'tool_choice' must be none, auto, required or {type: \"function\", function: {name}}.");
  }
}

function checkResponseFormat(body: Json): void {
  const rf = body.response_format;
  if (rf === undefined || rf === null) return;
  if (!isObject(rf) || typeof rf.type !== "string") throw invalid("response_format", "'response_format' must be {type: text | json_object | json_schema}.");
  if (rf.type === "text" || rf.type === "json_object") return;
  if (rf.type !== "json_schema") throw invalid("response_format.type", `response_format.type '${rf.type}' is not one of text, json_object, json_schema.`);
  const js = rf.json_schema;
  if (!isObject(js) || typeof js.name !== "string") {
    throw invalid("response_format.json_schema", "response_format.json_schema must be {name, schema, strict?}.");
  }
  if (js.schema !== undefined && !isObject(js.schema)) {
    throw invalid("response_format.json_schema.schema", "response_format.json_schema.schema must be a JSON Schema object.");
  }
}

export function parseChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw invalid("body", "The request body must be a JSON object.");
  requireModel(body);
  checkMessages(body.messages);
  optBoolean(body, "stream");
  if (body.stream_options !== undefined && body.stream_options !== null && !isObject(body.stream_options)) {
    throw invalid("stream_options", "'stream_options' must be an object like {include_usage: true}.");
  }
  checkTools(body);
  optBoolean(body, "parallel_tool_calls");
  checkResponseFormat(body);
  optNumber(body, "temperature", 0, 2);
  optNumber(body, "top_p", 0, 1);
  optInteger(body, "top_k", 0);
  optNumber(body, "min_p", 0, 1);
  optInteger(body, "max_tokens", 1);
  optInteger(body, "max_completion_tokens", 1);
  optStop(body);
  optInteger(body, "seed", Number.MIN_SAFE_INTEGER);
  optInteger(body, "n", 1, 128);
  optNumber(body, "presence_penalty", -2, 2);
  optNumber(body, "frequency_penalty", -2, 2);
  optNumber(body, "repetition_penalty", 0, 10);
  optBoolean(body, "logprobs");
  optInteger(body, "top_logprobs", 0, 20);
  optString(body, "user");
  if (body.logit_bias !== undefined && body.logit_bias !== null && !isObject(body.logit_bias)) {
    throw invalid("logit_bias", "'logit_bias' must be an object mapping token ids to numbers.");
  }
  return splitExtra<ChatRequest>(body, KNOWN);
}
