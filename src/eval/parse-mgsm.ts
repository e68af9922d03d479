// MGSM files are TSV with two columns, `question<TAB>answer`, no header, one problem per line.
import { GatewayError } from "../errors/index.js";
import { textLines } from "./text-lines.js";

export interface MgsmRow {
  question: string;
  answer: string;
}

export function parseMgsmTsv(text: string, source: string): MgsmRow[] {
  return textLines(text).map(({ text: row, line }) => {
    const tab = row.lastIndexOf("\t");
    if (tab <= 0) throw new GatewayError("invalid_request", `${source}:${line}: expected "question<TAB>answer"`);
    return { question: row.slice(0, tab).trim(), answer: row.slice(tab + 1).trim() };
  });
}
