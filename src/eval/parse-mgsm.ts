// MGSM files are TSV with two columns, `question<TAB>answer`, no header, one problem per line.
import { GatewayError } from "../errors/index.js";

export interface MgsmRow {
  question: string;
  answer: string;
}

export function parseMgsmTsv(text: string, source: string): MgsmRow[] {
  const rows: MgsmRow[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const tab = line.lastIndexOf("\t");
    if (tab <= 0) throw new GatewayError("invalid_request", `${source}:${i + 1}: expected "question<TAB>answer"`);
    rows.push({ question: line.slice(0, tab).trim(), answer: line.slice(tab + 1).trim() });
  });
  return rows;
}
