// A generated multilingual corpus for the policy detectors: checksum-valid values made by code, sentences
// in nine languages, and look-alike decoys (broken checksums, dates, prices, versions, order numbers,
// ISBNs). Seeded, so every run sees the same corpus. Shared by the corpus test and the benchmark.
import { getExampleNumber, isValidPhoneNumber, parsePhoneNumber, type CountryCode } from "libphonenumber-js/max";
import examples from "libphonenumber-js/examples.mobile.json";

export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const digitsOf = (r: Rng, n: number) => Array.from({ length: n }, () => String(int(r, 0, 9))).join("");
const pad = (n: number, w: number) => String(n).padStart(w, "0");
const letters = (r: Rng, n: number) => Array.from({ length: n }, () => String.fromCharCode(65 + int(r, 0, 25))).join("");
const alnum = (r: Rng, n: number, set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") => Array.from({ length: n }, () => set[int(r, 0, set.length - 1)]).join("");

function date(r: Rng, y0: number, y1: number): [number, number, number] {
  const y = int(r, y0, y1);
  const m = int(r, 1, 12);
  return [y, m, int(r, 1, 28)];
}

// ---- check digits (written independently of src/policy, from REFERENCE.md) ----

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const VD = [[0,1,2,3,4,5,6,7,8,9],[1,2,3,4,0,6,7,8,9,5],[2,3,4,0,1,7,8,9,5,6],[3,4,0,1,2,8,9,5,6,7],[4,0,1,2,3,9,5,6,7,8],[5,9,8,7,6,0,4,3,2,1],[6,5,9,8,7,1,0,4,3,2],[7,6,5,9,8,2,1,0,4,3],[8,7,6,5,9,3,2,1,0,4],[9,8,7,6,5,4,3,2,1,0]];
const VP = [[0,1,2,3,4,5,6,7,8,9],[1,5,7,6,2,8,3,0,9,4],[5,8,0,3,7,9,6,1,4,2],[8,9,1,6,0,4,3,5,2,7],[9,4,5,3,1,2,6,8,7,0],[4,2,8,6,5,7,3,9,0,1],[2,7,9,3,8,0,6,4,1,5],[7,0,4,6,9,1,3,2,5,8]];
const VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];
function verhoeffDigit(body: string): string {
  let c = 0;
  for (let i = 0; i < body.length; i++) c = VD[c]![VP[(i + 1) % 8]![Number(body[body.length - 1 - i])]!]!;
  return String(VINV[c]);
}

const wsum = (s: string, w: readonly number[]) => w.reduce((acc, x, i) => acc + Number(s[i]) * x, 0);

// ---- values per kind ----

export interface Generator {
  kind: string;
  /** Whether the detector validates a checksum (recall must be 100%). */
  checksum: boolean;
  make(r: Rng): string;
  /** Text around the value where the kind only exists in context (a password inside a URL). */
  wrap?(r: Rng): [before: string, after: string];
  /** A look-alike with a broken check, or undefined for kinds without one. */
  broken?(r: Rng): string;
  /** Words people put next to the value ("マイナンバー：…", "Aadhaar No. …"), for labelled samples. */
  labels?: readonly string[];
}

function cnId(r: Rng): string {
  const region = pick(r, ["110105", "310115", "440305", "510104", "330106", "420102", "320102"]);
  const [y, m, d] = date(r, 1940, 2015);
  const body = `${region}${y}${pad(m, 2)}${pad(d, 2)}${digitsOf(r, 3)}`;
  return body + "10X98765432"[wsum(body, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]) % 11]!;
}
function myNumber(r: Rng): string {
  const body = digitsOf(r, 11);
  const rem = wsum(body, [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
  return body + String(rem <= 1 ? 0 : 11 - rem);
}
function krRrn(r: Rng, pre2020: boolean): string {
  const [y, m, d] = date(r, pre2020 ? 1950 : 2000, pre2020 ? 2015 : 2019);
  const g = y >= 2000 ? pick(r, ["3", "4"]) : pick(r, ["1", "2"]);
  const body = `${pad(y % 100, 2)}${pad(m, 2)}${pad(d, 2)}${g}${digitsOf(r, 5)}`;
  const last = pre2020 ? String((11 - (wsum(body, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]) % 11)) % 10) : String(int(r, 0, 9));
  return `${body.slice(0, 6)}-${body.slice(6)}${last}`;
}
function nric(r: Rng): string {
  const p = pick(r, ["S", "T", "F", "G"]);
  const body = digitsOf(r, 7);
  const s = wsum(body, [2, 7, 6, 5, 4, 3, 2]) + (p === "T" || p === "G" ? 4 : 0);
  return p + body + (p === "S" || p === "T" ? "JZIHGFEDCBA" : "XWUTRQPNMLK")[s % 11]!;
}
function aadhaar(r: Rng): string {
  const body = String(int(r, 2, 9)) + digitsOf(r, 10);
  const v = body + verhoeffDigit(body);
  return r() < 0.6 ? `${v.slice(0, 4)} ${v.slice(4, 8)} ${v.slice(8)}` : v;
}
function twId(r: Rng): string {
  const L = "ABCDEFGHJKLMNPQRSTUVXYWZIO";
  const li = int(r, 0, 25);
  const body = `${pick(r, ["1", "2"])}${digitsOf(r, 7)}`;
  const v = `${li + 10}${body}`;
  const s = wsum(v, [1, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  return `${L[li]}${body}${(10 - (s % 10)) % 10}`;
}
function hkId(r: Rng): string {
  const two = r() < 0.2;
  const ls = letters(r, two ? 2 : 1);
  const ds = digitsOf(r, 6);
  let s = two ? (ls.charCodeAt(0) - 55) * 9 + (ls.charCodeAt(1) - 55) * 8 : 36 * 9 + (ls.charCodeAt(0) - 55) * 8;
  for (let i = 0; i < 6; i++) s += Number(ds[i]) * (7 - i);
  const rem = s % 11;
  const c = rem === 0 ? "0" : rem === 1 ? "A" : String(11 - rem);
  return `${ls}${ds}(${c})`;
}
function thId(r: Rng): string {
  const body = String(int(r, 1, 8)) + digitsOf(r, 11);
  const v = body + String((11 - (wsum(body, [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11)) % 10);
  return r() < 0.5 ? `${v[0]}-${v.slice(1, 5)}-${v.slice(5, 10)}-${v.slice(10, 12)}-${v[12]}` : v;
}
function nik(r: Rng): string {
  const prov = pick(r, ["11", "12", "31", "32", "33", "35", "51", "61", "73", "94"]);
  const [y, m, d] = date(r, 1950, 2010);
  const day = r() < 0.5 ? d + 40 : d;
  return `${prov}${pad(int(r, 1, 79), 2)}${pad(int(r, 1, 40), 2)}${pad(day, 2)}${pad(m, 2)}${pad(y % 100, 2)}${pad(int(r, 1, 9999), 4)}`;
}
function cccd(r: Rng): string {
  const prov = pick(r, ["001", "079", "048", "031", "092", "038", "004"]);
  const y = int(r, 1950, 2015);
  const g = y >= 2000 ? pick(r, ["2", "3"]) : pick(r, ["0", "1"]);
  return `${prov}${g}${pad(y % 100, 2)}${digitsOf(r, 6)}`;
}
function mykad(r: Rng): string {
  const [y, m, d] = date(r, 1950, 2015);
  const pb = pad(pick(r, [1, 5, 8, 10, 14, 21, 30, 45, 59, 71, 82]), 2);
  return `${pad(y % 100, 2)}${pad(m, 2)}${pad(d, 2)}-${pb}-${digitsOf(r, 4)}`;
}
function pan(r: Rng): string {
  return `${letters(r, 3)}${pick(r, ["P", "C", "H", "F", "T"])}${letters(r, 1)}${digitsOf(r, 4)}${letters(r, 1)}`;
}
function card(r: Rng): string {
  const brand = pick(r, ["visa", "mc", "mc2", "amex", "unionpay", "jcb"]);
  const [prefix, len] = {
    visa: ["4", 16], mc: [String(int(r, 51, 55)), 16], mc2: [String(int(r, 2221, 2720)), 16], amex: [pick(r, ["34", "37"]), 15],
    unionpay: ["62", pick(r, [16, 19])], jcb: [String(int(r, 3528, 3589)), 16],
  }[brand] as [string, number];
  const body = prefix + digitsOf(r, len - 1 - prefix.length);
  const v = body + luhnDigit(body);
  if (r() < 0.3) return v;
  const sep = pick(r, [" ", "-"]);
  return len === 15 ? `${v.slice(0, 4)}${sep}${v.slice(4, 10)}${sep}${v.slice(10)}` : (v.match(/.{1,4}/g) ?? []).join(sep);
}
function ibanCheck(cc: string, bban: string): string {
  const s = `${bban}${cc}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of s) rem = (rem * 10 + Number(ch)) % 97;
  return pad(98 - rem, 2);
}
function iban(r: Rng): string {
  const [cc, bban] = pick(r, [
    ["DE", () => digitsOf(r, 18)], ["FR", () => digitsOf(r, 23)], ["GB", () => letters(r, 4) + digitsOf(r, 14)],
    ["NL", () => letters(r, 4) + digitsOf(r, 10)], ["ES", () => digitsOf(r, 20)], ["IT", () => letters(r, 1) + digitsOf(r, 22)],
  ] as const);
  const b = bban();
  const v = `${cc}${ibanCheck(cc, b)}${b}`;
  return r() < 0.6 ? (v.match(/.{1,4}/g) ?? []).join(" ") : v;
}
const PHONE_COUNTRIES: CountryCode[] = ["CN", "JP", "KR", "SG", "IN", "TH", "VN", "ID", "MY", "PH", "TW", "HK", "US", "GB", "DE", "FR"];
function phone(r: Rng): string {
  for (;;) {
    const c = pick(r, PHONE_COUNTRIES);
    const ex = getExampleNumber(c, examples)!;
    const nsn = String(ex.nationalNumber);
    const varied = nsn.slice(0, nsn.length - 4) + digitsOf(r, 4);
    if (!isValidPhoneNumber(varied, c)) continue;
    const p = parsePhoneNumber(varied, c);
    const style = int(r, 0, 3);
    if (style === 0) return p.formatInternational();
    if (style === 1) return p.formatNational();
    if (style === 2) return p.format("E.164");
    return p.formatNational().replace(/[^\d]/g, "");
  }
}
function ipv4(r: Rng): string {
  return pick(r, [`10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`, `192.168.${int(r, 0, 255)}.${int(r, 1, 254)}`, `${int(r, 11, 223)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`]);
}
function ipv6(r: Rng): string {
  const g = () => int(r, 0, 0xffff).toString(16);
  return r() < 0.5 ? Array.from({ length: 8 }, g).join(":") : `${pick(r, ["2001:db8", "fe80", "2400:cb00"])}::${g()}:${g()}`;
}
function email(r: Rng): string {
  return `${pick(r, ["zhang.wei", "tanaka", "kim.minjun", "nguyen.van.an", "budi", "priya.sharma", "somchai", "j.smith", "ali+news"])}${int(r, 1, 999)}@${pick(r, ["example.com", "mail.co.jp", "naver.com", "qq.com", "gmail.com", "corp.example.co.th", "yahoo.co.id"])}`;
}
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const SECRETS: Record<string, (r: Rng) => string> = {
  openai_api_key: (r) => `sk-proj-${alnum(r, 48, B64URL)}`,
  anthropic_api_key: (r) => `sk-ant-api03-${alnum(r, 93, B64URL)}AA`,
  aws_access_key_id: (r) => `AKIA${alnum(r, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
  github_token: (r) => `ghp_${alnum(r, 36)}`,
  gitlab_token: (r) => `glpat-${alnum(r, 20, B64URL)}`,
  slack_token: (r) => `xoxb-${digitsOf(r, 12)}-${digitsOf(r, 13)}-${alnum(r, 24)}`,
  stripe_key: (r) => `sk_live_${alnum(r, 24)}`,
  google_api_key: (r) => `AIza${alnum(r, 35, B64URL)}`,
  huggingface_token: (r) => `hf_${alnum(r, 34)}`,
  jwt: (r) => `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${alnum(r, 40, B64URL)}.${alnum(r, 43, B64URL)}`,
  private_key: (r) => `-----BEGIN RSA PRIVATE KEY-----\n${Array.from({ length: 4 }, () => alnum(r, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")).join("\n")}\n-----END RSA PRIVATE KEY-----`,
};

export const GENERATORS: readonly Generator[] = [
  { kind: "email", checksum: false, make: email },
  { kind: "phone", checksum: false, make: phone, labels: ["Tel", "Phone", "電話番号", "电话", "전화번호", "เบอร์โทร", "SĐT", "No. HP", "फ़ोन", "தொலைபேசி"] },
  { kind: "payment_card", checksum: true, make: card, broken: (r) => breakLast(card(r), "0123456789") },
  { kind: "iban", checksum: true, make: iban, broken: (r) => breakLast(iban(r), "0123456789") },
  { kind: "ip_address", checksum: false, make: (r) => (r() < 0.6 ? ipv4(r) : ipv6(r)) },
  { kind: "cn_resident_id", checksum: true, make: cnId, broken: (r) => breakLast(cnId(r), "0123456789X"), labels: ["身份证号", "身份证号码", "身份證"] },
  { kind: "jp_my_number", checksum: true, make: myNumber, broken: (r) => breakLast(myNumber(r), "0123456789"), labels: ["My Number", "マイナンバー", "個人番号", "マイナンバー（個人番号）"] },
  { kind: "kr_rrn", checksum: true, make: (r) => krRrn(r, r() < 0.7), labels: ["주민등록번호", "RRN"] },
  { kind: "sg_nric", checksum: true, make: nric, broken: (r) => breakLast(nric(r), "ABCDEFGHIJKLMNOPQRSTUVWXZ") },
  { kind: "in_aadhaar", checksum: true, make: aadhaar, broken: (r) => breakLast(aadhaar(r), "0123456789"), labels: ["Aadhaar", "Aadhaar No.", "आधार", "आधार संख्या", "ஆதார்", "ஆதார் எண்"] },
  { kind: "in_pan", checksum: false, make: pan },
  { kind: "tw_national_id", checksum: true, make: twId, broken: (r) => breakLast(twId(r), "0123456789") },
  { kind: "hk_id", checksum: true, make: hkId, broken: (r) => hkId(r).replace(/\((.)\)$/, (_, c: string) => `(${c === "0" ? "1" : c === "A" ? "0" : String((Number(c) + 1) % 10)})`) },
  { kind: "th_national_id", checksum: true, make: thId, broken: (r) => breakLast(thId(r), "0123456789"), labels: ["เลขประจำตัวประชาชน", "บัตรประชาชน", "Thai ID"] },
  { kind: "id_nik", checksum: false, make: nik, labels: ["NIK", "No. KTP", "NIK (KTP)"] },
  { kind: "vn_cccd", checksum: false, make: cccd, labels: ["CCCD", "Số CCCD", "căn cước công dân", "CMND/CCCD"] },
  { kind: "my_mykad", checksum: false, make: mykad, labels: ["MyKad", "No. IC", "IC"] },
  ...Object.entries(SECRETS).map(([kind, make]) => ({ kind, checksum: false, make })),
  {
    kind: "url_credentials",
    checksum: false,
    make: (r) => alnum(r, int(r, 8, 20), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!%*"),
    wrap: (r) =>
      pick(r, [
        ["postgres://app_user:", "@db.internal:5432/orders"],
        ["mysql://root:", "@10.0.0.7/shop"],
        ["redis://default:", "@cache:6379/0"],
        ["https://deploy:", "@git.example.com/repo.git"],
        ["Server=sql01;Database=crm;User Id=sa;Password=", ";"],
      ] as [string, string][]),
  },
];

/** Changes the last character to another one of `alphabet` (so a check digit no longer fits). */
function breakLast(v: string, alphabet: string): string {
  const last = v[v.length - 1]!;
  const others = alphabet.replace(last, "");
  return v.slice(0, -1) + others[(last.charCodeAt(0) * 7) % others.length];
}

// ---- collisions: a broken value that is a valid value of another kind ----
//
// A bare 12-digit number is the shape of four kinds (My Number, Aadhaar, CCCD, MyKad) and, when it starts
// with the trunk prefix 0, of national phone numbers in many countries (a German or Chinese landline). Breaking one kind's check digit can land on a string another kind's rules accept, e.g. a
// My Number with a wrong check digit that passes Aadhaar's Verhoeff check: that string is then a valid
// Aadhaar, which a detector must catch, not a decoy. These rules restate each country's format from
// REFERENCE.md and asks libphonenumber about phones, independently of src/policy, so the corpus test can tell such
// collisions from real decoys.

function verhoeffValid(v: string): boolean {
  let c = 0;
  for (let i = 0; i < v.length; i++) c = VD[c]![VP[i % 8]![Number(v[v.length - 1 - i])]!]!;
  return c === 0;
}
const isDate = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
// Vietnam's province codes in CCCD numbers (Circular 07/2016/TT-BCA, 63 provinces).
const VN_PROVINCES = new Set(
  "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split(" "),
);
const MY_PLACE_OF_BIRTH = (pb: number) => (pb >= 1 && pb <= 16) || (pb >= 21 && pb <= 68) || pb === 71 || pb === 72 || (pb >= 74 && pb <= 79) || (pb >= 82 && pb <= 93) || pb >= 98;

const OTHER_KIND_RULES: Record<string, (d: string) => boolean> = {
  in_aadhaar: (d) => d.length === 12 && d[0]! >= "2" && verhoeffValid(d),
  vn_cccd: (d) => d.length === 12 && VN_PROVINCES.has(d.slice(0, 3)) && d[3]! <= "3",
  my_mykad: (d) => {
    if (d.length !== 12) return false;
    const [yy, m, day] = [Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6))];
    return (isDate(1900 + yy, m, day) || isDate(2000 + yy, m, day)) && MY_PLACE_OF_BIRTH(Number(d.slice(6, 8)));
  },
  // Dialled as written in one of the countries the corpus covers: the trunk prefix 0, then a valid number.
  phone: (d) => d.startsWith("0") && PHONE_COUNTRIES.some((c) => isValidPhoneNumber(d, c)),
  jp_my_number: (d) => {
    if (d.length !== 12) return false;
    const rem = wsum(d.slice(0, 11), [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    return d[11] === String(rem <= 1 ? 0 : 11 - rem);
  },
};

/** The kinds other than `ownKind` whose rules accept `value` as written (digits only), or [] for a true decoy. */
export function validAsOtherKinds(value: string, ownKind: string): string[] {
  // Bare digits have every digit kind's shape; the 4-4-4 grouping ("2345 6789 0123") is how both Aadhaar and
  // My Number are written, and no other kind's.
  const grouped = /^\d{4} \d{4} \d{4}$/.test(value);
  if (!grouped && !/^\d+$/.test(value)) return [];
  const d = value.replace(/ /g, "");
  return Object.entries(OTHER_KIND_RULES)
    .filter(([kind, valid]) => kind !== ownKind && (!grouped || kind === "in_aadhaar" || kind === "jp_my_number") && valid(d))
    .map(([kind]) => kind);
}

// ---- sentences ----

export const LANGUAGES = ["en", "zh", "ja", "ko", "th", "vi", "id", "hi", "ta"] as const;
export type Language = (typeof LANGUAGES)[number];

const TEMPLATES: Record<Language, readonly string[]> = {
  en: ["Please update my record: {v}. Thanks!", "The customer gave {v} when we called yesterday.", "Can you check whether {v} is on file?"],
  zh: ["请帮我更新资料：{v}。谢谢！", "客户昨天提供的信息是{v}，请核对。", "我的号码{v}已经登记了吗？"],
  ja: ["登録情報を{v}に更新してください。", "昨日お客様から{v}と伺いました。", "こちらの{v}で確認をお願いします。"],
  ko: ["제 정보를 {v}(으)로 변경해 주세요.", "고객이 어제 {v}라고 알려주셨습니다.", "{v} 확인 부탁드립니다."],
  th: ["กรุณาอัปเดตข้อมูลของฉันเป็น{v}ด้วยครับ", "ลูกค้าแจ้งว่า{v}เมื่อวานนี้", "ช่วยตรวจสอบ {v} ให้หน่อยค่ะ"],
  vi: ["Vui lòng cập nhật thông tin của tôi: {v}. Cảm ơn!", "Khách hàng đã cung cấp {v} hôm qua.", "Bạn kiểm tra giúp {v} nhé."],
  id: ["Tolong perbarui data saya: {v}. Terima kasih!", "Pelanggan memberikan {v} kemarin.", "Bisa dicek apakah {v} sudah terdaftar?"],
  hi: ["कृपया मेरा रिकॉर्ड अपडेट करें: {v}। धन्यवाद!", "ग्राहक ने कल {v} दिया था।", "क्या {v} दर्ज है?"],
  ta: ["என் பதிவை புதுப்பிக்கவும்: {v}. நன்றி!", "வாடிக்கையாளர் நேற்று {v} கொடுத்தார்.", "{v} பதிவில் உள்ளதா?"],
};

export interface Sample {
  language: Language;
  text: string;
  /** Where the value sits in `text`. */
  start: number;
  end: number;
}

export function embed(r: Rng, language: Language, value: string, wrap: [string, string] = ["", ""]): Sample {
  const t = pick(r, TEMPLATES[language]);
  const start = t.indexOf("{v}") + wrap[0].length;
  return { language, text: t.replace("{v}", () => wrap[0] + value + wrap[1]), start, end: start + value.length };
}

/** The label of `g` around a value: before it ("Aadhaar: …", "マイナンバー …") or after it ("… (NIK)"). */
export function labelWrap(r: Rng, g: Generator): [string, string] {
  const label = pick(r, g.labels ?? [""]);
  return pick(r, [[`${label}: `, ""], [`${label} `, ""], ["", ` (${label})`]] as [string, string][]);
}

/** One generated value of `g` in a sentence of `language`. */
export function sample(r: Rng, g: Generator, language: Language): Sample {
  return embed(r, language, g.make(r), g.wrap?.(r));
}

// ---- decoys: numbers that are not personal data ----

export const DECOYS: Record<string, (r: Rng) => string> = {
  date: (r) => {
    const [y, m, d] = date(r, 1990, 2030);
    return pick(r, [`${y}-${pad(m, 2)}-${pad(d, 2)}`, `${y}/${m}/${d}`, `${pad(d, 2)}.${pad(m, 2)}.${y}`, `${pad(m, 2)}/${pad(d, 2)}/${y}`, `${y}年${m}月${d}日`, `${y}${pad(m, 2)}${pad(d, 2)}`, `${y}-${pad(m, 2)}-${pad(d, 2)} ${pad(int(r, 0, 23), 2)}:${pad(int(r, 0, 59), 2)}`]);
  },
  price: (r) => pick(r, [`$${int(r, 1, 99)},${pad(int(r, 0, 999), 3)}.${pad(int(r, 0, 99), 2)}`, `¥${int(r, 1, 999)},${pad(int(r, 0, 999), 3)}`, `€${int(r, 1, 9999)}.${pad(int(r, 0, 99), 2)}`, `${int(r, 1, 999)},${pad(int(r, 0, 999), 3)},${pad(int(r, 0, 999), 3)} VND`, `Rp ${int(r, 1, 999)}.${pad(int(r, 0, 999), 3)}.${pad(int(r, 0, 999), 3)}`, `₹${int(r, 1, 99)},${pad(int(r, 0, 99), 2)},${pad(int(r, 0, 999), 3)}`, `${int(r, 10000, 99999999)}円`, `${int(r, 1000, 9999999)} บาท`, `₩${int(r, 1, 999)},${pad(int(r, 0, 999), 3)},${pad(int(r, 0, 999), 3)}`]),
  version: (r) => pick(r, [`v${int(r, 0, 20)}.${int(r, 0, 30)}.${int(r, 0, 99)}`, `${int(r, 0, 20)}.${int(r, 0, 30)}.${int(r, 0, 99)}`, `version ${int(r, 1, 9)}.${int(r, 0, 9)}.${int(r, 0, 9)}-beta.${int(r, 1, 9)}`, `Node ${int(r, 16, 24)}.${int(r, 0, 20)}.${int(r, 0, 9)}`, `build ${int(r, 1, 9)}.${int(r, 0, 99)}.${int(r, 1000, 9999)}.${int(r, 10, 999)}`]),
  order_number: (r) => pick(r, [`Order #${int(r, 2015, 2026)}${pad(int(r, 1, 12), 2)}${pad(int(r, 1, 28), 2)}-${pad(int(r, 1, 9999), 4)}`, `ORD-${digitsOf(r, 10)}`, `#${digitsOf(r, 12)}`, `INV-${int(r, 2015, 2026)}-${digitsOf(r, 6)}`, `PO${digitsOf(r, 9)}`, `SO-${digitsOf(r, 8)}`, `订单号 #${digitsOf(r, 16)}`, `注文番号: A-${digitsOf(r, 8)}`]),
  isbn: (r) => {
    const body = pick(r, ["978", "979"]) + digitsOf(r, 9);
    let s = 0;
    for (let i = 0; i < 12; i++) s += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
    const v = body + String((10 - (s % 10)) % 10);
    return pick(r, [`ISBN ${v.slice(0, 3)}-${v[3]}-${v.slice(4, 7)}-${v.slice(7, 12)}-${v[12]}`, `ISBN-13: ${v}`, `${v.slice(0, 3)}-${v[3]}-${v.slice(4, 7)}-${v.slice(7, 12)}-${v[12]}`]);
  },
  quantity: (r) => pick(r, [`${int(r, 1, 999)} km`, `${int(r, 1, 100)}%`, `${int(r, 1000, 99999)} users`, `room ${int(r, 100, 2999)}`, `${int(r, 10, 23)}:${pad(int(r, 0, 59), 2)}`, `${int(r, 1, 9)}x${int(r, 1, 9)}`]),
};

const FILLER: Record<Language, readonly string[]> = {
  en: ["The quarterly review covers onboarding, support tickets and the new refund process.", "Please summarise the conversation below and list the open questions for the account team."],
  zh: ["本季度的回顾包括新客户引导、客服工单以及新的退款流程。", "请总结以下对话，并列出客户团队需要跟进的问题。"],
  ja: ["四半期レビューでは、オンボーディング、サポートチケット、新しい返金手続きを扱います。", "以下の会話を要約し、担当チームへの未解決の質問を挙げてください。"],
  ko: ["분기 검토에는 온보딩, 지원 티켓, 새로운 환불 절차가 포함됩니다.", "아래 대화를 요약하고 담당 팀이 확인해야 할 질문을 정리해 주세요."],
  th: ["การทบทวนรายไตรมาสครอบคลุมการเริ่มต้นใช้งาน ตั๋วบริการลูกค้า และขั้นตอนการคืนเงินใหม่", "กรุณาสรุปบทสนทนาด้านล่างและระบุคำถามที่ทีมต้องติดตาม"],
  vi: ["Báo cáo quý bao gồm quy trình tiếp nhận khách hàng, phiếu hỗ trợ và quy trình hoàn tiền mới.", "Vui lòng tóm tắt cuộc trò chuyện dưới đây và liệt kê các câu hỏi còn mở."],
  id: ["Tinjauan triwulan mencakup orientasi pelanggan, tiket dukungan, dan proses pengembalian dana yang baru.", "Tolong rangkum percakapan di bawah ini dan daftar pertanyaan yang masih terbuka."],
  hi: ["तिमाही समीक्षा में ऑनबोर्डिंग, सहायता टिकट और नई धनवापसी प्रक्रिया शामिल है।", "कृपया नीचे दी गई बातचीत का सारांश दें और खुले प्रश्नों की सूची बनाएं।"],
  ta: ["காலாண்டு மதிப்பாய்வில் புதிய வாடிக்கையாளர் சேர்க்கை, உதவி சீட்டுகள் மற்றும் புதிய பணத்திரும்பல் நடைமுறை அடங்கும்.", "கீழே உள்ள உரையாடலைச் சுருக்கி, திறந்த கேள்விகளைப் பட்டியலிடவும்."],
};

/**
 * A multilingual prompt of about `bytes` UTF-8 bytes, sentences cycling through the nine languages: a
 * sensitive value every `every` sentences, a number-bearing decoy every `decoyEvery`, plain prose
 * otherwise. `decoyEvery = 1` gives the number-dense worst case (a number in every sentence).
 */
export function prompt(r: Rng, bytes: number, every = 6, decoyEvery = 3): string {
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  const decoyKinds = Object.keys(DECOYS);
  while (size < bytes) {
    const lang = LANGUAGES[i % LANGUAGES.length]!;
    let s: string;
    if (i % every === 0) s = sample(r, pick(r, GENERATORS), lang).text;
    else if (i % decoyEvery === 0) s = embed(r, lang, DECOYS[pick(r, decoyKinds)]!(r)).text;
    else s = pick(r, FILLER[lang]);
    parts.push(s);
    size += Buffer.byteLength(s) + 1;
    i++;
  }
  return parts.join("\n");
}
