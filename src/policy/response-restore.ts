// Restoring placeholders in answers: a whole ChatResponse, or a stream of ChatChunks where every text
// field of every choice (content, reasoning_content, refusal) and every tool call's arguments (per tool
// index) has its own TextRestorer.
import type { ChatChunk, ChatResponse, ChunkChoice, ChunkDelta, ToolCallDelta } from "../spec/index.js";
import type { PseudonymTable } from "./pseudonym-table.js";
import { restoreText, TextRestorer } from "./restore.js";

export function restoreResponse(resp: ChatResponse, table: PseudonymTable): ChatResponse {
  if (table.size === 0) return resp;
  return {
    ...resp,
    choices: resp.choices.map((c) => {
      const m = { ...c.message };
      if (typeof m.content === "string") m.content = restoreText(m.content, table);
      if (typeof m.reasoning_content === "string") m.reasoning_content = restoreText(m.reasoning_content, table);
      if (typeof m.refusal === "string") m.refusal = restoreText(m.refusal, table);
      if (Array.isArray(m.tool_calls)) {
        m.tool_calls = m.tool_calls.map((t) => ({ ...t, function: { ...t.function, arguments: restoreText(t.function.arguments, table, "json") } }));
      }
      return { ...c, message: m };
    }),
  };
}

const TEXT_FIELDS = ["content", "reasoning_content", "refusal"] as const;

export interface StreamRestorer {
  /** The chunk with placeholders restored; text that may be the start of a placeholder is held back and
   * released with a later chunk, at the latest with the chunk that carries the choice's finish_reason. */
  transform(chunk: ChatChunk): ChatChunk;
  /** Whatever is still held (a stream that ended without finish_reason), as one chunk, or undefined. */
  flush(template: Pick<ChatChunk, "id" | "created" | "model">): ChatChunk | undefined;
}

class ChoiceRestorer {
  readonly text = new Map<string, TextRestorer>();
  readonly tools = new Map<number, TextRestorer>();
  constructor(private readonly table: PseudonymTable) {}

  field(name: string): TextRestorer {
    let r = this.text.get(name);
    if (r === undefined) this.text.set(name, (r = new TextRestorer(this.table)));
    return r;
  }
  tool(index: number): TextRestorer {
    let r = this.tools.get(index);
    if (r === undefined) this.tools.set(index, (r = new TextRestorer(this.table, "json")));
    return r;
  }

  /** Restores a delta in place (on a copy); with `end`, appends all held text. */
  delta(d: ChunkDelta, end: boolean): ChunkDelta {
    const out: ChunkDelta = { ...d };
    for (const name of TEXT_FIELDS) {
      const v = d[name];
      if (typeof v === "string") out[name] = this.field(name).push(v);
    }
    if (Array.isArray(d.tool_calls)) {
      out.tool_calls = d.tool_calls.map((t) =>
        typeof t.function?.arguments === "string" ? { ...t, function: { ...t.function, arguments: this.tool(t.index).push(t.function.arguments) } } : t,
      );
    }
    if (end) this.release(out);
    return out;
  }

  release(out: ChunkDelta): boolean {
    let any = false;
    for (const [name, r] of this.text) {
      const rest = r.flush();
      if (rest === "") continue;
      const prev = out[name];
      out[name] = (typeof prev === "string" ? prev : "") + rest;
      any = true;
    }
    for (const [index, r] of this.tools) {
      const rest = r.flush();
      if (rest === "") continue;
      const calls: ToolCallDelta[] = (out.tool_calls ??= []);
      const same = calls.find((t) => t.index === index);
      if (same !== undefined) same.function = { ...same.function, arguments: (same.function?.arguments ?? "") + rest };
      else calls.push({ index, function: { arguments: rest } });
      any = true;
    }
    return any;
  }
}

export function createStreamRestorer(table: PseudonymTable): StreamRestorer {
  const choices = new Map<number, ChoiceRestorer>();
  const choice = (i: number) => {
    let c = choices.get(i);
    if (c === undefined) choices.set(i, (c = new ChoiceRestorer(table)));
    return c;
  };
  return {
    transform(chunk) {
      if (table.size === 0) return chunk;
      return {
        ...chunk,
        choices: chunk.choices.map((c): ChunkChoice => ({ ...c, delta: choice(c.index).delta(c.delta ?? {}, c.finish_reason !== null && c.finish_reason !== undefined) })),
      };
    },
    flush(template) {
      const out: ChunkChoice[] = [];
      for (const [index, c] of choices) {
        const delta: ChunkDelta = {};
        if (c.release(delta)) out.push({ index, delta, finish_reason: null });
      }
      return out.length === 0 ? undefined : { ...template, object: "chat.completion.chunk", choices: out };
    },
  };
}
