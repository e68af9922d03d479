import { test } from "node:test";
import assert from "node:assert/strict";
import { asciiDigits, lastNumber } from "./answer-text.js";
import { scoreAnswer, scoreOne } from "./scorers.js";

const ctx = { question: "q" };

test("native digits and full-width punctuation become ASCII", () => {
  assert.equal(asciiDigits("๑๘ ১৬ １，２５０ ٣"), "18 16 1,250 3");
  assert.equal(lastNumber("He has 3 apples, then 1,250 pears and $18.50."), 18.5);
  assert.equal(lastNumber("no number"), undefined);
});

test("numeric: the last number after the answer marker, commas and native digits allowed", async () => {
  const num = { type: "numeric" as const };
  const cases: Array<[string, string | number, boolean]> = [
    ["16 - 3 - 4 = 9, 9 * 2 = 18\nAnswer: 18", "18", true],
    ["ก่อนอื่น 16 - 3 - 4 = 9 ฟอง\nคำตอบ: ๑๘", "18", true],
    ["１６－３－４＝９、９×２＝１８\n答え：１８", 18, true],
    ["利润是 70,000 美元。\n答案：70,000", "70000", true],
    ["The answer is 2,125 dollars.", "2,125", true],
    ["<think>maybe 99</think>The final answer is 17", "18", false],
    ["Answer: 18 (I counted 20 eggs first)", "18", false],
    ["I do not know", "18", false],
    ["I answered 5 questions and counted 18 eggs.", "18", true],
    ["คำตอบคือ 18", "18", true],
    ["মোট ১৮টি ডিম।\nউত্তর: ১৮", "18", true],
  ];
  for (const [answer, expected, ok] of cases) {
    assert.equal((await scoreOne(answer, num, expected, ctx)).correct, ok, answer);
  }
  assert.equal((await scoreOne("Answer: 3.14", { type: "numeric", tolerance: 0.01 }, "3.1416", ctx)).correct, true);
  assert.equal((await scoreOne("Answer: 18", num, "18", ctx)).extracted, "18");
});

test("choice: the label the answer picks, not digits inside other numbers", async () => {
  const choice = { type: "choice" as const, choices: ["1", "2"] };
  assert.equal((await scoreOne("2", choice, "2", ctx)).correct, true);
  assert.equal((await scoreOne("答案：２", choice, "2", ctx)).correct, true);
  assert.equal((await scoreOne("12 people agree; the answer is 1", choice, "1", ctx)).correct, true);
  assert.equal((await scoreOne("1", choice, "2", ctx)).correct, false);
  assert.equal((await scoreOne("neither", choice, "2", ctx)).extracted, undefined);
});

test("exact, contains, regex", async () => {
  assert.equal((await scoreOne("  Tokyo ", { type: "exact" }, "tokyo", ctx)).correct, true);
  assert.equal((await scoreOne("Tokyo", { type: "exact", ignore_case: false }, "tokyo", ctx)).correct, false);
  assert.equal((await scoreOne("The capital is Tokyo.", { type: "contains" }, "tokyo", ctx)).correct, true);
  assert.equal((await scoreOne("曼谷和清迈", { type: "contains", value: ["曼谷", "清迈"] }, undefined, ctx)).correct, true);
  assert.equal((await scoreOne("曼谷", { type: "contains", value: ["曼谷", "清迈"] }, undefined, ctx)).correct, false);
  assert.equal((await scoreOne("Order #A-1234 shipped", { type: "regex", pattern: "#A-\\d{4}" }, undefined, ctx)).correct, true);
});

test("is-json and json-schema accept fenced JSON and check the shape", async () => {
  assert.equal((await scoreOne('```json\n{"a": 1}\n```', { type: "is-json" }, undefined, ctx)).correct, true);
  assert.equal((await scoreOne("{a: 1}", { type: "is-json" }, undefined, ctx)).correct, false);
  const schema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } }, required: ["name", "age"] };
  assert.equal((await scoreOne('{"name": "Somchai", "age": 31}', { type: "json-schema", schema }, undefined, ctx)).correct, true);
  assert.equal((await scoreOne('{"name": "Somchai", "age": -1}', { type: "json-schema", schema }, undefined, ctx)).correct, false);
  assert.equal((await scoreOne('{"name": "Somchai"}', { type: "json-schema", schema }, undefined, ctx)).correct, false);
});

test("rubric: graded by the grader model's SCORE line; missing grader is an error", async () => {
  const prompts: string[] = [];
  const grade = async (prompt: string): Promise<string> => {
    prompts.push(prompt);
    return prompt.includes("polite") ? "Polite and complete.\nSCORE: 9" : "Rude.\nSCORE: 3";
  };
  const r = await scoreOne("Dear customer, thank you.", { type: "rubric", rubric: "The reply is polite" }, undefined, { question: "Reply to the complaint", grade });
  assert.deepEqual(r, { correct: true, score: 0.9, extracted: "9/10" });
  assert.match(prompts[0] ?? "", /Reply to the complaint/);
  const low = await scoreOne("Go away.", { type: "rubric", rubric: "Short reply", pass: 0.5 }, undefined, { question: "q", grade });
  assert.equal(low.correct, false);
  await assert.rejects(scoreOne("x", { type: "rubric", rubric: "r" }, undefined, ctx), /grader model/);
});

test("several assertions must all pass; the score is their mean", async () => {
  const r = await scoreAnswer('{"total": 18}', [{ type: "is-json" }, { type: "contains", value: "19" }], undefined, ctx);
  assert.deepEqual(r, { correct: false, score: 0.5 });
});
