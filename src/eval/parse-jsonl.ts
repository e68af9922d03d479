// JSON lines: one JSON object per non-blank line; errors name the file and the line.
import { GatewayError } from "../errors/index.js";

export interface JsonLine {
  value: unknown;
  /** 1-based line number in the source, for error messages. */
  line: number;
}

export function parseJsonLines(text: string, source: string): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new GatewayError("invalid_request", `${source}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new GatewayError("invalid_request", `${source}:${i + 1}: each line must be a JSON object`);
    }
    out.push({ value, line: i + 1 });
  });
  return out;
}
