import { test } from "node:test";
import assert from "node:assert/strict";
import { detectLanguage, detectRequestLanguage, sampleText } from "./langid.js";
import { detectByScript } from "./langid-script.js";

test("writing systems owned by one language answer from the script", () => {
  assert.equal(detectByScript("เป็ดของเจเน็ตวางไข่วันละ 16 ฟอง")?.lang, "th");
  assert.equal(detectByScript("அந்த மனிதன் குழாயைத் திறந்தான்")?.lang, "ta");
  assert.equal(detectByScript("জ্যানেটের হাঁস প্রতিদিন ১৬টি ডিম পাড়ে।")?.lang, "bn");
  assert.equal(detectByScript("안녕하세요, 오늘 날씨가 어때요?")?.lang, "ko");
  assert.equal(detectByScript("ジャネットのアヒルは1日に16個の卵を産みます。")?.lang, "ja");
  assert.equal(detectByScript("珍妮特的鸭子每天下 16 颗蛋。")?.lang, "zh");
  // Han outweighs the Latin letters of technical terms.
  assert.equal(detectByScript("如何在 Python 中使用 asyncio")?.lang, "zh");
  // Latin and shared scripts are left to the statistical detector.
  assert.equal(detectByScript("Pria itu membuka keran."), undefined);
  assert.equal(detectByScript("Привет, как дела?"), undefined);
});

test("detectLanguage answers ISO 639-1 codes with a confidence", () => {
  const cases: Array<[string, string]> = [
    ["Janet's ducks lay 16 eggs per day. How much does she make every day at the market?", "en"],
    ["Người đàn ông mở vòi nước. Nước chảy ra từ vòi.", "vi"],
    ["Pria itu membuka keran. Air mengalir keluar dari keran.", "id"],
    ["Saya tak tahu apa yang awak cakap, boleh ulang sekali lagi? Kerajaan Malaysia mengumumkan cuti umum.", "ms"],
    ["เป็ดของเจเน็ตวางไข่วันละ 16 ฟอง", "th"],
  ];
  for (const [text, lang] of cases) {
    const got = detectLanguage(text);
    assert.equal(got.lang, lang, text);
    assert.ok(got.confidence > 0 && got.confidence <= 1, `${text}: ${got.confidence}`);
  }
});

test("too few letters is undetermined", () => {
  assert.deepEqual(detectLanguage("42 + 17 = ?"), { lang: "und", confidence: 0 });
  assert.deepEqual(detectLanguage(""), { lang: "und", confidence: 0 });
});

test("long text is sampled at both ends and code blocks are ignored", () => {
  const long = "这是一个很长的问题。".repeat(2000);
  assert.ok(sampleText(long).length <= 601);
  assert.equal(detectLanguage(long).lang, "zh");
  const withCode = "请帮我修复这个函数的错误：\n```js\nfunction add(a, b) { return a - b; } // returns the wrong value\n```";
  assert.equal(detectLanguage(withCode).lang, "zh");
});

test("detectRequestLanguage reads the last user turn, joined with earlier ones when it is short", () => {
  const req = {
    messages: [
      { role: "system" as const, content: "You are a helpful assistant. Answer concisely." },
      { role: "user" as const, content: "東京で一番おいしいラーメン屋はどこですか？" },
      { role: "assistant" as const, content: "Here are some options..." },
      { role: "user" as const, content: [{ type: "text" as const, text: "もっと" }] },
    ],
  };
  assert.equal(detectRequestLanguage(req).lang, "ja");
  assert.equal(detectRequestLanguage({ messages: [{ role: "user", content: "Bonjour, je voudrais réserver une table pour deux personnes ce soir." }] }).lang, "fr");
  assert.equal(detectRequestLanguage({ messages: [{ role: "system", content: "Be brief." }] }).lang, "und");
});
