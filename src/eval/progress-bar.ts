// Progress on stderr: a bar redrawn in place on a terminal, a line per tenth when output is a file or pipe.
import type { EvalProgress } from "./runner.js";

export interface TextSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export function createProgressBar(out: TextSink, width = 28): { update(p: EvalProgress): void; finish(): void } {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p) {
      const ratio = p.total === 0 ? 1 : p.done / p.total;
      const filled = Math.round(ratio * width);
      const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total} ${(ratio * 100).toFixed(0)}% · cached ${p.cached} · errors ${p.errors} · ${p.last.model} ${p.last.lang}`;
      if (out.isTTY === true) {
        out.write(`\r${line}\u001b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(ratio * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        out.write(`${line}\n`);
      }
    },
    finish() {
      if (drawn) out.write("\n");
    },
  };
}
