// XCOPA files are JSON lines: {premise, choice1, choice2, question: "cause" | "effect", label: 0 | 1, idx}.
import { GatewayError } from "../errors/index.js";
import { parseJsonLines } from "./parse-jsonl.js";

export interface XcopaRow {
  idx: number;
  premise: string;
  choice1: string;
  choice2: string;
  question: "cause" | "effect";
  /** 0 when choice1 is right, 1 when choice2 is. */
  label: 0 | 1;
}

export function parseXcopaJsonl(text: string, source: string): XcopaRow[] {
  return parseJsonLines(text, source).map(({ value, line }, i) => {
    const v = value as Record<string, unknown>;
    const where = `${source}:${line}`;
    for (const key of ["premise", "choice1", "choice2"] as const) {
      if (typeof v[key] !== "string") throw new GatewayError("invalid_request", `${where}: "${key}" must be a string`);
    }
    if (v.question !== "cause" && v.question !== "effect") {
      throw new GatewayError("invalid_request", `${where}: "question" must be "cause" or "effect"`);
    }
    if (v.label !== 0 && v.label !== 1) throw new GatewayError("invalid_request", `${where}: "label" must be 0 or 1`);
    return {
      idx: typeof v.idx === "number" ? v.idx : i,
      premise: v.premise as string,
      choice1: v.choice1 as string,
      choice2: v.choice2 as string,
      question: v.question,
      label: v.label,
    };
  });
}
