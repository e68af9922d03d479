// XCOPA prompts: the premise, a cause/effect question in the item's language, two numbered choices, and a
// request to answer with the number only. Translations are ours; override them with --templates.
import type { TemplateSet } from "./types.js";

const body = (premise: string, answerOnly: string): string =>
  `${premise}: {{premise}}\n{{label:question}}\n1. {{choice1}}\n2. {{choice2}}\n${answerOnly}`;

export const XCOPA_TEMPLATES: TemplateSet = {
  "*": {
    user: body("Premise", "Answer with 1 or 2 only."),
    labels: { cause: "What was the cause?", effect: "What happened as a result?" },
  },
  zh: { user: body("前提", "只回答 1 或 2。"), labels: { cause: "原因是什么？", effect: "结果是什么？" } },
  th: { user: body("ข้อความ", "ตอบเพียง 1 หรือ 2 เท่านั้น"), labels: { cause: "สาเหตุคืออะไร", effect: "ผลที่ตามมาคืออะไร" } },
  vi: { user: body("Tiền đề", "Chỉ trả lời 1 hoặc 2."), labels: { cause: "Nguyên nhân là gì?", effect: "Kết quả là gì?" } },
  id: { user: body("Premis", "Jawab hanya dengan 1 atau 2."), labels: { cause: "Apa penyebabnya?", effect: "Apa akibatnya?" } },
  ta: {
    user: body("கூற்று", "1 அல்லது 2 என்று மட்டும் பதிலளிக்கவும்."),
    labels: { cause: "இதற்கான காரணம் என்ன?", effect: "இதன் விளைவு என்ன?" },
  },
};
