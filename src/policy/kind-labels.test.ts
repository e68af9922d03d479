import assert from "node:assert/strict";
import { test } from "node:test";
import { BUILTIN_DETECTORS } from "./detectors/index.js";
import { labelledKind } from "./kind-labels.js";
import { createScanner } from "./scanner.js";

const scan = (text: string) => createScanner(BUILTIN_DETECTORS).scan(text).map((f) => [f.kind, f.value]);

test("labelledKind: nearest label before, else after; a label reaches only its own number", () => {
  const at = (t: string, n: string) => labelledKind(t, t.indexOf(n));
  assert.equal(at("マイナンバー：377752538198", "3777"), "jp_my_number");
  assert.equal(at("Aadhaar No. 2345 6789 0123", "2345"), "in_aadhaar");
  assert.equal(at("ஆதார் எண் 234567890123", "2345"), "in_aadhaar");
  assert.equal(at("my number and phone: 0901234567", "0901"), "phone");
  assert.equal(at("062304105690 (CCCD)", "0623"), "vn_cccd");
  assert.equal(at("My Number: 123456789018, 377752538198", "3777"), undefined);
  assert.equal(at("The customer gave 377752538198 yesterday", "3777"), undefined);
  // Whole words only: "ic" inside "public" is no MyKad label.
  assert.equal(at("public 880101145678", "8801"), undefined);
});

test("a labelled number is judged by its kind alone", () => {
  // 377752538198 passes Aadhaar's Verhoeff check but not My Number's mod 11.
  assert.deepEqual(scan("Can you check 377752538198?"), [["in_aadhaar", "377752538198"]]);
  assert.deepEqual(scan("マイナンバー：377752538198"), []);
  assert.deepEqual(scan("Aadhaar: 377752538198"), [["in_aadhaar", "377752538198"]]);
  // A label of another shape does not hide a card: "tel" before 16 digits, "Aadhaar" before a grouped card.
  assert.deepEqual(scan("tel 4111111111111111"), [["payment_card", "4111111111111111"]]);
  assert.deepEqual(scan("Aadhaar: 4111 1111 1111 1111"), [["payment_card", "4111 1111 1111 1111"]]);
});
