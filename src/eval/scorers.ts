// Judges one answer against an item's assertions. Each scorer returns a score in 0–1 and whether it
// counts as correct; only the rubric needs a model, reached through the `grade` function the runner gives.
import { z } from "zod";
import { GatewayError } from "../errors/index.js";
import { asciiDigits, finalPart, lastNumber, stripReasoning, unfence } from "./answer-text.js";
import type { Assertion } from "./types.js";

export interface Score {
  correct: boolean;
  score: number;
  /** What the scorer read from the answer, for the report. */
  extracted?: string;
}

export interface ScoreContext {
  /** Sends a prompt to the grader model and returns its reply; absent when no grader was configured. */
  grade?: (prompt: string) => Promise<string>;
  /** The question as the model saw it, for the grader. */
  question: string;
}

const pass = (ok: boolean, extracted?: string): Score =>
  extracted === undefined ? { correct: ok, score: ok ? 1 : 0 } : { correct: ok, score: ok ? 1 : 0, extracted };

function expectedText(a: { value?: unknown }, expected: string | number | undefined, type: string): string {
  const v = a.value ?? expected;
  if (v === undefined) throw new GatewayError("invalid_request", `"${type}" assertion needs a value or the item's expected`);
  return String(v);
}

const fold = (s: string, ignoreCase: boolean | undefined): string => (ignoreCase === false ? s : s.toLowerCase());

function chosenLabel(answer: string, choices: string[]): string | undefined {
  const text = asciiDigits(finalPart(answer));
  const escaped = choices.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  // A label counts only as a token of its own: "2" in "12 eggs" is not choice 2.
  const m = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join("|")})(?![\\p{L}\\p{N}])`, "u").exec(text);
  return m?.[1];
}

const schemas = new WeakMap<object, z.ZodType>();
function compiled(schema: Record<string, unknown>): z.ZodType {
  let s = schemas.get(schema);
  if (s === undefined) {
    s = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    schemas.set(schema, s);
  }
  return s;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(unfence(text)) };
  } catch {
    return { ok: false };
  }
}

export async function scoreOne(raw: string, a: Assertion, expected: string | number | undefined, ctx: ScoreContext): Promise<Score> {
  const answer = stripReasoning(raw);
  switch (a.type) {
    case "exact":
      return pass(fold(answer.trim(), a.ignore_case) === fold(expectedText(a, expected, a.type).trim(), a.ignore_case));
    case "contains": {
      const wanted = Array.isArray(a.value) ? a.value : [expectedText(a, expected, a.type)];
      return pass(wanted.every((w) => fold(answer, a.ignore_case).includes(fold(w, a.ignore_case))));
    }
    case "regex":
      return pass(new RegExp(a.pattern, a.flags).test(answer));
    case "numeric": {
      const want = lastNumber(expectedText(a, expected, a.type));
      if (want === undefined) throw new GatewayError("invalid_request", `numeric assertion: expected value is not a number`);
      const got = lastNumber(finalPart(answer)) ?? lastNumber(answer);
      if (got === undefined) return { correct: false, score: 0 };
      return pass(Math.abs(got - want) <= (a.tolerance ?? 1e-6), String(got));
    }
    case "choice": {
      const got = chosenLabel(answer, a.choices);
      return pass(got !== undefined && got === expectedText(a, expected, a.type), got);
    }
    case "is-json":
      return pass(parseJson(answer).ok);
    case "json-schema": {
      const parsed = parseJson(answer);
      return pass(parsed.ok && compiled(a.schema).safeParse(parsed.value).success);
    }
    case "rubric":
      return gradeWithRubric(answer, a, expected, ctx);
  }
}

/** All assertions must pass; the score is their mean. */
export async function scoreAnswer(raw: string, assertions: Assertion[], expected: string | number | undefined, ctx: ScoreContext): Promise<Score> {
  const scores: Score[] = [];
  for (const a of assertions) scores.push(await scoreOne(raw, a, expected, ctx));
  const extracted = scores.find((s) => s.extracted !== undefined)?.extracted;
  const result: Score = {
    correct: scores.every((s) => s.correct),
    score: scores.reduce((n, s) => n + s.score, 0) / Math.max(1, scores.length),
  };
  if (extracted !== undefined) result.extracted = extracted;
  return result;
}

async function gradeWithRubric(
  answer: string,
  a: Extract<Assertion, { type: "rubric" }>,
  expected: string | number | undefined,
  ctx: ScoreContext,
): Promise<Score> {
  if (ctx.grade === undefined) throw new GatewayError("invalid_request", "a rubric assertion needs a grader model (--grader <model>)");
  const prompt = [
    "You grade an answer against a rubric. Write at most two sentences of justification, then a last line",
    "`SCORE: n` where n is an integer from 0 (fails the rubric) to 10 (fully meets it).",
    "",
    `Rubric:\n${a.rubric}`,
    "",
    `Question:\n${ctx.question}`,
    ...(expected === undefined ? [] : ["", `Reference answer:\n${expected}`]),
    "",
    `Answer to grade:\n${answer}`,
  ].join("\n");
  const reply = stripReasoning(await ctx.grade(prompt));
  const m = [...asciiDigits(reply).matchAll(/SCORE\s*[:：]\s*(\d+(?:\.\d+)?)/gi)].pop();
  if (m?.[1] === undefined) throw new GatewayError("upstream_error", `grader reply has no "SCORE: n" line: ${reply.slice(0, 200)}`);
  const score = Math.max(0, Math.min(1, Number(m[1]) / 10));
  return { correct: score >= (a.pass ?? 0.7), score, extracted: `${Number(m[1])}/10` };
}
