// The shapes of the evaluation layer: suites of items, how an answer is judged, and what a run records.
import type { ChatMessage } from "../spec/index.js";

/** How one answer is judged. Several on an item must all pass; the item's score is their mean. */
export type Assertion =
  | { type: "exact"; value?: string; ignore_case?: boolean }
  | { type: "contains"; value?: string | string[]; ignore_case?: boolean }
  | { type: "regex"; pattern: string; flags?: string }
  /** The last number of the answer (after an "Answer:" marker when there is one) within tolerance. */
  | { type: "numeric"; value?: number | string; tolerance?: number }
  /** Multiple choice: the label the answer picks among `choices` equals the expected label. */
  | { type: "choice"; choices: string[]; value?: string }
  | { type: "is-json" }
  | { type: "json-schema"; schema: Record<string, unknown> }
  /** Graded by a model the caller provides; `pass` is the score (0–1) needed to count as correct. */
  | { type: "rubric"; rubric: string; pass?: number };

export interface EvalItem {
  /** Unique within the suite and language. */
  id: string;
  /** ISO 639-1 code of the item's language. */
  lang: string;
  /** Variables for the suite's prompt template of this language. */
  vars?: Record<string, string>;
  /** A ready conversation (generic JSONL items), sent as it is. */
  messages?: ChatMessage[];
  expected?: string | number;
  assert: Assertion[];
}

/** A prompt for one language: `{{name}}` takes the item's variable, `{{label:name}}` its label here. */
export interface PromptTemplate {
  system?: string;
  user: string;
  labels?: Record<string, string>;
}

/** Templates by language code; "*" is used for languages without their own. */
export type TemplateSet = Record<string, PromptTemplate>;

export interface Suite {
  name: string;
  items: EvalItem[];
  templates: TemplateSet;
}

export interface TokenCounts {
  prompt: number;
  completion: number;
}

export interface ItemResult {
  model: string;
  lang: string;
  itemId: string;
  correct: boolean;
  /** 0–1. */
  score: number;
  /** The model's answer as it came (capped for the report). */
  answer: string;
  /** What the scorer read from the answer (the number, the choice), when it reads something. */
  extracted?: string;
  expected: string;
  /** Latency of the call that produced the answer, also when it now comes from the cache. */
  latencyMs: number;
  tokens: TokenCounts;
  /** True when the answer came from the cache (no call made in this run). */
  cached: boolean;
  /** The call or the grading failed: the item counts as wrong and is retried on the next run. */
  error?: string;
  /** The user prompt, shortened, so a report can show what was asked. */
  prompt: string;
}

export interface Cell {
  n: number;
  correct: number;
  accuracy: number;
  meanScore: number;
  errors: number;
}

export interface ModelStats extends Cell {
  latencyMs: { mean: number; p50: number; p95: number };
  tokens: { prompt: number; completion: number; meanCompletion: number };
}

export interface EvalSummary {
  /** accuracy[model][lang] */
  byModelLang: Record<string, Record<string, Cell>>;
  byModel: Record<string, ModelStats>;
}

export interface EvalRun {
  runId: string;
  suite: string;
  startedAt: string;
  finishedAt: string;
  models: string[];
  langs: string[];
  items: ItemResult[];
  summary: EvalSummary;
}
