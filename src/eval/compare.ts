// Two runs side by side: accuracy per model × language in each and the change, plus the items whose
// verdict flipped (a model that got worse on a language shows which questions it now misses).
import type { EvalRun } from "./types.js";

export interface CellDelta {
  model: string;
  lang: string;
  a: number | null;
  b: number | null;
  /** b − a, null when one side lacks the cell. */
  delta: number | null;
}

export interface FlippedItem {
  model: string;
  lang: string;
  itemId: string;
  /** Correct in run a. */
  before: boolean;
  /** Correct in run b. */
  after: boolean;
}

export interface RunComparison {
  a: string;
  b: string;
  cells: CellDelta[];
  flipped: FlippedItem[];
}

const union = (x: string[], y: string[]): string[] => [...new Set([...x, ...y])];

export function compareRuns(a: EvalRun, b: EvalRun): RunComparison {
  const cells: CellDelta[] = [];
  for (const model of union(a.models, b.models)) {
    for (const lang of union(a.langs, b.langs)) {
      const ca = a.summary.byModelLang[model]?.[lang];
      const cb = b.summary.byModelLang[model]?.[lang];
      const va = ca !== undefined && ca.n > 0 ? ca.accuracy : null;
      const vb = cb !== undefined && cb.n > 0 ? cb.accuracy : null;
      if (va === null && vb === null) continue;
      cells.push({ model, lang, a: va, b: vb, delta: va === null || vb === null ? null : vb - va });
    }
  }
  const key = (i: { model: string; lang: string; itemId: string }): string => `${i.model}\u0000${i.lang}\u0000${i.itemId}`;
  const before = new Map(a.items.map((i) => [key(i), i.correct]));
  const flipped: FlippedItem[] = [];
  for (const item of b.items) {
    const was = before.get(key(item));
    if (was !== undefined && was !== item.correct) {
      flipped.push({ model: item.model, lang: item.lang, itemId: item.itemId, before: was, after: item.correct });
    }
  }
  return { a: a.runId, b: b.runId, cells, flipped };
}
