import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createPolicyEngine } from "./engine.js";
import { PseudonymTable } from "./pseudonym-table.js";
import { restoreText, TextRestorer } from "./restore.js";

const engine = createPolicyEngine({ custom: [{ name: "client", terms: ["Acme", "Globex", "星河科技"] }] });

const table = PseudonymTable.fromEntries([
  ["EMAIL_1", "alice@example.com"],
  ["EMAIL_12", "bob@example.org"],
  ["PHONE_1", "+81 90-1234-5678"],
  ["ID_1", "11010519491231002X"],
  ["SECRET_1", 'pa"ss\\word\n'],
]);

test("restoreText: exact and tolerated placeholder forms", () => {
  const cases: [string, string][] = [
    ["Mail [EMAIL_1] now", "Mail alice@example.com now"],
    ["[EMAIL_12] and [EMAIL_1]", "bob@example.org and alice@example.com"],
    ["[email_1]", "alice@example.com"],
    ["[ EMAIL_1 ]", "alice@example.com"],
    ["[EMAIL 1] [EMAIL-1] [EMAIL1]", "alice@example.com alice@example.com alice@example.com"],
    ["【EMAIL_1】［PHONE_1］(ID_1)", "alice@example.com+81 90-1234-5678" + "11010519491231002X"],
    ["call PHONE_1, ok", "call +81 90-1234-5678, ok"],
    ["电话是PHONE_1。", "电话是+81 90-1234-5678。"],
    ["[EMAIL_1", "[alice@example.com"],
    // Not ours, or not a placeholder: untouched.
    ["[EMAIL_2] [NOTE_1] phone_1 XPHONE_1 PHONE_12 [EMAIL]", "[EMAIL_2] [NOTE_1] phone_1 XPHONE_1 PHONE_12 [EMAIL]"],
    ["PHONE_1x", "PHONE_1x"],
  ];
  for (const [input, want] of cases) assert.equal(restoreText(input, table), want, input);
});

test("restoreText json mode escapes values as JSON string content", () => {
  const args = '{"to":"[EMAIL_1]","pw":"[SECRET_1]"}';
  const out = restoreText(args, table, "json");
  assert.deepEqual(JSON.parse(out), { to: "alice@example.com", pw: 'pa"ss\\word\n' });
});

test("TextRestorer holds back only what could still become a placeholder", () => {
  const r = new TextRestorer(table);
  assert.equal(r.push("Hello "), "Hello ");
  assert.equal(r.push("[EMA"), "");
  assert.equal(r.push("IL_1"), "");
  assert.equal(r.push("] and [NOTE"), "alice@example.com and [NOTE");
  assert.equal(r.push("S] PHONE_"), "S] ");
  assert.equal(r.push("1"), "");
  assert.equal(r.push("!"), "+81 90-1234-5678!");
  assert.equal(r.push(" tail [EMAIL_1"), " tail ");
  assert.equal(r.flush(), "[alice@example.com");
  assert.equal(r.flush(), "");
});

// Text made of pieces that stress both detection and placeholder parsing.
const values = ["alice@example.com", "13800138000", "+81 90-1234-5678", "4111 1111 1111 1111", "11010519491231002X", "S1234567D", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "192.168.0.10", "Acme", "星河科技"];
const lookalikes = ["[EMAIL_1]", "[email 2]", "EMAIL_1", "PHONE_1", "【ID_1】", "[ID_1", "ID_1]", "[", "]", "_", "(", "CLIENT_1", "[CARD_3]", "EMAIL_", "[ EMAIL_1 ]"];
const fragment = fc.oneof(
  fc.constantFrom(...values),
  fc.constantFrom(...lookalikes),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.constantFrom(" ", "，", "。", "\n", "-", ":", "电话", "です", "ครับ"),
);
const text = fc.array(fragment, { maxLength: 14 }).map((xs) => xs.join(""));

test("property: restore(pseudonymize(x)) = x for any text", () => {
  fc.assert(
    fc.property(text, (x) => {
      const req = { model: "m", messages: [{ role: "user" as const, content: x }] };
      const { request, table: t } = engine.pseudonymizeRequest(req, engine.inspect(req));
      const sent = request.messages[0]!.content as string;
      assert.equal(restoreText(sent, t), x);
    }),
    { numRuns: 3000 },
  );
});

test("property: pseudonymized text holds none of the detected values", () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...values, " ", "。", "x"), { maxLength: 10 }).map((xs) => xs.join(" ")), (x) => {
      const req = { model: "m", input: x };
      const insp = engine.inspect(req);
      const { request } = engine.pseudonymizeRequest(req, insp);
      for (const f of insp.findings) assert.ok(!(request.input as string).includes(f.value), `${f.value} leaked`);
    }),
    { numRuns: 1000 },
  );
});

const outputPiece = fc.oneof(
  fc.constantFrom("[EMAIL_1]", "[email_1]", "[ EMAIL_12 ]", "[EMAIL 1]", "【PHONE_1】", "PHONE_1", "ID_1", "[ID_1", "[EMAIL_2]", "[SECRET_1]", "EMAIL_", "[EMA", "PHONE_1x", "X ID_1"),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(" ", "[", "]", "【", "_", "1", "。", "\n"),
);
const output = fc.array(outputPiece, { maxLength: 12 }).map((xs) => xs.join(""));

function streamed(s: string, cuts: number[], mode: "text" | "json"): string {
  const r = new TextRestorer(table, mode);
  let out = "";
  let last = 0;
  for (const c of [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b)) {
    out += r.push(s.slice(last, c));
    last = c;
  }
  return out + r.push(s.slice(last)) + r.flush();
}

test("property: streaming restore equals whole-text restore for any cutting", () => {
  fc.assert(
    fc.property(output, fc.array(fc.nat(), { maxLength: 20 }), fc.constantFrom("text" as const, "json" as const), (s, cuts, mode) => {
      assert.equal(streamed(s, cuts, mode), restoreText(s, table, mode));
    }),
    { numRuns: 5000 },
  );
});

test("streaming restore equals whole-text restore for every one of the 2^(n-1) cuttings", () => {
  for (const s of ["a[EMAIL_1]b", "x PHONE_1 y", "【email 12】!", "[EMAIL_1[ID_1]", "[EMA ID_1"]) {
    const want = restoreText(s, table);
    for (let mask = 0; mask < 1 << (s.length - 1); mask++) {
      const cuts: number[] = [];
      for (let i = 0; i < s.length - 1; i++) if (mask & (1 << i)) cuts.push(i + 1);
      assert.equal(streamed(s, cuts, "text"), want, `${s} cut at ${cuts.join(",")}`);
    }
  }
});
