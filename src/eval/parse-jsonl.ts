// JSON lines: one JSON object per non-blank line; errors name the file and the line.
import { GatewayError } from "../errors/index.js";
import { textLines } from "./text-lines.js";

export interface JsonLine {
  value: unknown;
  /** 1-based line number in the source, for error messages. */
  line: number;
}

export function parseJsonLines(text: string, source: string): JsonLine[] {
  return textLines(text).map(({ text: raw, line }) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new GatewayError("invalid_request", `${source}:${line}: not valid JSON (${(err as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new GatewayError("invalid_request", `${source}:${line}: each line must be a JSON object`);
    }
    return { value, line };
  });
}
