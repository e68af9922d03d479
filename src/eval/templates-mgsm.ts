// MGSM prompts: chain of thought, then the answer on its own line after a marker in the item's language
// (the marker helps the numeric scorer find the final number). Translations are ours; override them with
// --templates when a native speaker's wording is better.
import type { TemplateSet } from "./types.js";

export const MGSM_TEMPLATES: TemplateSet = {
  "*": {
    user:
      'Solve this math problem. Give the reasoning steps before giving the final answer on the last line by itself in the format of "Answer:". Do not add anything other than the integer answer after "Answer:".\n\n{{question}}',
  },
  zh: { user: "解答这道数学题。先写出推理步骤，最后单独一行按“答案：”的格式给出最终答案，“答案：”后面只写整数。\n\n{{question}}" },
  ja: {
    user:
      "次の算数の問題を解いてください。推論の過程を書いてから、最後の行に「答え：」の形式で最終的な答えを書いてください。「答え：」の後には整数以外を書かないでください。\n\n{{question}}",
  },
  th: {
    user:
      'แก้โจทย์คณิตศาสตร์ข้อนี้ แสดงขั้นตอนการคิดก่อน แล้วเขียนคำตอบสุดท้ายในบรรทัดสุดท้ายในรูปแบบ "คำตอบ:" หลัง "คำตอบ:" ให้เขียนเฉพาะจำนวนเต็มเท่านั้น\n\n{{question}}',
  },
  bn: {
    user:
      'এই গণিত সমস্যাটি সমাধান করুন। চূড়ান্ত উত্তরের আগে যুক্তির ধাপগুলি লিখুন, তারপর শেষ লাইনে "উত্তর:" ফরম্যাটে চূড়ান্ত উত্তর দিন। "উত্তর:" এর পরে পূর্ণসংখ্যা ছাড়া আর কিছু লিখবেন না।\n\n{{question}}',
  },
};
