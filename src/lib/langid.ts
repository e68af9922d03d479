// Language of a request, for `strategy: by_language` and the request record. bench/langid measured the
// candidates (README there): eld is the most accurate on our languages and the fastest on Latin text, but
// has no Indonesian (its Malay answers are settled by marker words); writing systems owned by one language
// skip the n-gram model. eld's "extrasmall" database: with the shortcut it scored like "large" on our data,
// and "large" costs seconds to load and ~370 MB resident against ~0.4 s and ~80 MB.
import { eld as eldExtraSmall } from "eld/extrasmall";
import type { ChatMessage, ChatRequest } from "../spec/index.js";
import { createLanguageDetector, type DetectedLanguage } from "./langid-detector.js";

export { LANGID_SAMPLE_CHARS, sampleText, type DetectedLanguage, type DetectOptions } from "./langid-detector.js";

/** Our own instance: eld's settings (subset, cleanup) are per instance and others may change the global. */
export const detectLanguage = createLanguageDetector(eldExtraSmall.newInstance());

function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("\n");
}

/** Below this many characters the last user turn ("yes", "继续") is read together with the ones before. */
const MIN_TURN_CHARS = 40;

/** The language of the user's latest turn(s); system prompts are ignored (often English boilerplate). */
export function detectRequestLanguage(request: Pick<ChatRequest, "messages">): DetectedLanguage {
  let text = "";
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message === undefined || message.role !== "user") continue;
    text = text === "" ? messageText(message) : `${messageText(message)}\n${text}`;
    if (text.length >= MIN_TURN_CHARS) break;
  }
  return detectLanguage(text);
}
