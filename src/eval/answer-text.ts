// Normalising an answer before it is scored: reasoning blocks removed, native digits made ASCII, and the
// part after the last "Answer:" marker picked out when the model wrote one.

/** Zero of each decimal-digit block a model may answer in (Arabic-Indic … Thai … full-width). */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6,
  0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0xff10,
];

/** Punctuation inside numbers written in full width or typographic forms. */
const NUMBER_PUNCTUATION: Record<string, string> = { "，": ",", "．": ".", "－": "-", "−": "-", "٫": ".", "٬": "," };

export function asciiDigits(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const zero = cp >= 0x0660 ? DIGIT_ZEROS.find((z) => cp >= z && cp <= z + 9) : undefined;
    out += zero === undefined ? (NUMBER_PUNCTUATION[ch] ?? ch) : String(cp - zero);
  }
  return out;
}

/** Models that think aloud inline (`<think>…</think>`) must be judged on what follows. */
export function stripReasoning(text: string): string {
  return text.replace(/<think>[\s\S]*?(<\/think>|$)/gi, "").trim();
}

/**
 * Markers that introduce a final answer, in the languages our suites prompt in. Words in spaced scripts
 * must stand alone ("answered" is no marker); Thai and CJK markers run into the next word.
 */
const ANSWER_MARKER = new RegExp(
  [
    "(?<!\\p{L})(?:answer|antwort|respuesta|réponse|reponse|ответ|jibu|jawaban|câu trả lời|đáp án|উত্তর|సమాధానం|விடை|பதில்)(?![\\p{L}\\p{M}])\\s*(?:is|:|：|=)?",
    "(?:答案|答え|解答|คำตอบ)\\s*(?:是|は|คือ|:|：|=)?",
  ].join("|"),
  "giu",
);

/** The text after the last answer marker, or the whole text when there is none. */
export function finalPart(text: string): string {
  let last = -1;
  for (const m of text.matchAll(ANSWER_MARKER)) last = m.index + m[0].length;
  return last < 0 ? text : text.slice(last);
}

const NUMBER = /-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?/g;

/** The last number in the text (thousands commas allowed), or undefined. */
export function lastNumber(text: string): number | undefined {
  const matches = asciiDigits(text).match(NUMBER);
  const last = matches?.[matches.length - 1];
  return last === undefined ? undefined : Number(last.replace(/,/g, ""));
}

/** Removes a ```json fence around a JSON answer. */
export function unfence(text: string): string {
  const m = /^```[\w-]*\s*\n([\s\S]*?)\n?```\s*$/.exec(text.trim());
  return m?.[1] ?? text.trim();
}
