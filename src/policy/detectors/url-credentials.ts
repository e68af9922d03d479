// Passwords inside URLs and connection strings: scheme://user:password@host (postgres, mysql, redis,
// mongodb, amqp, https…) and key=value strings (ADO.NET/JDBC "Password=…;"). Only the password is the
// finding, so the model still sees which database or host a message is about.
import { isAsciiAlnum } from "../boundaries.js";
import type { Detector, Span } from "../types.js";

const USERINFO = /[^\s/@:"'<>]{0,128}:([^\s/@"'<>]{1,256})@[A-Za-z0-9[]/y;

function matchUrlPassword(text: string, at: number): Span | undefined {
  // `at` is the "://"; a scheme of letters must precede it.
  if (at === 0 || !isAsciiAlnum(text.charCodeAt(at - 1))) return undefined;
  USERINFO.lastIndex = at + 3;
  const m = USERINFO.exec(text);
  if (m === null) return undefined;
  const end = at + 3 + m[0].length - 2;
  return { start: end - m[1]!.length, end };
}

const KEY_VALUE = /(?:password|passwd|pwd)\s*=\s*("[^"\r\n]{1,256}"|'[^'\r\n]{1,256}'|[^;\s"'&]{1,256})/iy;

function matchKeyValuePassword(text: string, at: number): Span | undefined {
  KEY_VALUE.lastIndex = at;
  const m = KEY_VALUE.exec(text);
  if (m === null) return undefined;
  let value = m[1]!;
  let end = at + m[0].length;
  if (value.startsWith('"') || value.startsWith("'")) {
    value = value.slice(1, -1);
    end -= 1;
  }
  return { start: end - value.length, end };
}

export const urlCredentials: Detector = { kind: "url_credentials", category: "secret", label: "SECRET", trigger: { prefilter: "://", first: "[:]" }, match: matchUrlPassword };

export const connectionStringPassword: Detector = {
  kind: "url_credentials",
  category: "secret",
  label: "SECRET",
  trigger: {
    prefilter: "[Pp](?:ass|ASS|wd|WD)",
    first: "[Pp]",
    guard: "(?<![0-9A-Za-z_])(?:[Pp](?:assword|ASSWORD|asswd|wd|WD)|PWD)\\s*=",
  },
  match: matchKeyValuePassword,
};
