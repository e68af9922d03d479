// Context words, the way Presidio's recognisers use them: a bare 12-digit number is a valid My Number, a
// valid Aadhaar, a plausible CCCD or MyKad or phone about one time in five, so the words around it decide
// which kind may claim it. A number labelled "マイナンバー" is judged by the My Number rules alone: with its
// check digit broken it is nobody's, instead of the Aadhaar that its digits happen to satisfy.
// With no label every kind may claim it (privacy first: a bare number valid under some kind is caught).

/** Label words per kind. ASCII words match case-insensitively and only as whole words. */
const LABELS: Readonly<Record<string, readonly string[]>> = {
  jp_my_number: ["my ?number", "individual number", "マイナンバー", "個人番号", "个人编号"],
  in_aadhaar: ["aadhaa?r", "uidai", "आधार", "ஆதார்"],
  vn_cccd: ["cccd", "cmnd", "căn cước", "can cuoc", "căn cước công dân", "chứng minh nhân dân"],
  id_nik: ["nik", "ktp", "nomor induk kependudukan"],
  my_mykad: ["mykad", "kad pengenalan", "ic no", "no\\.? ?ic", "ic"],
  th_national_id: ["thai id", "บัตรประชาชน", "เลขประจำตัวประชาชน"],
  kr_rrn: ["rrn", "주민등록번호", "주민번호"],
  cn_resident_id: ["身份证", "身份證"],
  phone: [
    "phone", "tel", "telephone", "mobile", "cell", "whatsapp", "電話", "携帯", "电话", "手机", "手機", "전화", "휴대폰", "핸드폰",
    "โทร", "เบอร์", "điện thoại", "sđt", "telepon", "telp", "hp", "ponsel", "फ़ोन", "फोन", "मोबाइल", "தொலைபேசி", "மொபைல்",
  ],
};

const ascii = /^[\x20-\x7e]+$/;
const source = Object.entries(LABELS)
  .map(([kind, words]) => {
    const alt = words.map((w) => (ascii.test(w.replace(/\\./g, "")) ? `(?<![A-Za-z])${w}(?![A-Za-z])` : w)).join("|");
    return `(?<${kind}>${alt})`;
  })
  .join("|");
const LABEL = new RegExp(source, "gi");

/** How far a label may sit from the number, in UTF-16 units ("マイナンバー（個人番号）：" fits). */
const BEFORE = 32;
const AFTER = 16;

function kindOf(m: RegExpExecArray): string | undefined {
  const groups = m.groups;
  if (groups === undefined) return undefined;
  for (const k in groups) if (groups[k] !== undefined) return k;
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The kind named by the label nearest to the number token starting at `at`: the last label in the window
 * before it, else the first one in the window after it. A label reaches only its own number: the window
 * stops at the previous (or next) digit, so in "My Number: 123…, 234…" the second number is unlabelled.
 */
export function labelledKind(text: string, at: number): string | undefined {
  let from = Math.max(0, at - BEFORE);
  for (let i = at - 1; i >= from; i--) {
    if (isDigit(text.charCodeAt(i))) {
      from = i + 1;
      break;
    }
  }
  // Searched in a slice: a global regex left to run from `from` would scan the rest of the text.
  const before = text.slice(from, at);
  let kind: string | undefined;
  LABEL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LABEL.exec(before)) !== null) kind = kindOf(m);
  if (kind !== undefined) return kind;
  // After the token: skip the number itself (digits joined by separators), then look up to the next digit.
  let end = at;
  while (end < text.length && end - at < 48) {
    const c = text.charCodeAt(end);
    if (isDigit(c) || ((c === 32 || c === 45 || c === 43 || c === 40 || c === 41 || c === 46 || c === 160) && isDigit(text.charCodeAt(end + 1)))) end++;
    else break;
  }
  let to = Math.min(text.length, end + AFTER);
  for (let i = end; i < to; i++) {
    if (isDigit(text.charCodeAt(i))) {
      to = i;
      break;
    }
  }
  LABEL.lastIndex = 0;
  m = LABEL.exec(text.slice(end, to));
  return m === null ? undefined : kindOf(m);
}
