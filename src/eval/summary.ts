// Accuracy by model × language, latency and tokens per model, and the best model for each language.
import type { Cell, EvalRun, EvalSummary, ItemResult, ModelStats } from "./types.js";

function cell(items: ItemResult[]): Cell {
  const correct = items.filter((i) => i.correct).length;
  return {
    n: items.length,
    correct,
    accuracy: items.length === 0 ? 0 : correct / items.length,
    meanScore: items.length === 0 ? 0 : items.reduce((s, i) => s + i.score, 0) / items.length,
    errors: items.filter((i) => i.error !== undefined).length,
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function modelStats(items: ItemResult[]): ModelStats {
  // Failed calls have no meaningful latency or tokens.
  const answered = items.filter((i) => i.error === undefined);
  const latencies = answered.map((i) => i.latencyMs).sort((a, b) => a - b);
  const prompt = answered.reduce((s, i) => s + i.tokens.prompt, 0);
  const completion = answered.reduce((s, i) => s + i.tokens.completion, 0);
  return {
    ...cell(items),
    latencyMs: {
      mean: latencies.length === 0 ? 0 : latencies.reduce((a, b) => a + b, 0) / latencies.length,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
    },
    tokens: { prompt, completion, meanCompletion: answered.length === 0 ? 0 : completion / answered.length },
  };
}

export function summarize(items: ItemResult[], models: string[], langs: string[]): EvalSummary {
  const byModelLang: EvalSummary["byModelLang"] = {};
  const byModel: EvalSummary["byModel"] = {};
  for (const model of models) {
    const mine = items.filter((i) => i.model === model);
    byModel[model] = modelStats(mine);
    const row: Record<string, Cell> = {};
    for (const lang of langs) row[lang] = cell(mine.filter((i) => i.lang === lang));
    byModelLang[model] = row;
  }
  return { byModelLang, byModel };
}

/**
 * For each language the model with the highest accuracy; ties go to the higher mean score, then the lower
 * median latency, then the order models were given in. Languages no model answered are left out.
 */
export function bestModelPerLanguage(run: Pick<EvalRun, "models" | "langs" | "summary">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lang of run.langs) {
    let best: { model: string; key: [number, number, number] } | undefined;
    for (const model of run.models) {
      const c = run.summary.byModelLang[model]?.[lang];
      if (c === undefined || c.n === 0 || c.errors === c.n) continue;
      const key: [number, number, number] = [c.accuracy, c.meanScore, -(run.summary.byModel[model]?.latencyMs.p50 ?? 0)];
      const better = best === undefined || key[0] > best.key[0] || (key[0] === best.key[0] && (key[1] > best.key[1] || (key[1] === best.key[1] && key[2] > best.key[2])));
      if (better) best = { model, key };
    }
    if (best !== undefined) out[lang] = best.model;
  }
  return out;
}

/** The model with the best accuracy over all languages: a default target for languages not measured. */
export function bestModelOverall(run: Pick<EvalRun, "models" | "summary">): string | undefined {
  let best: string | undefined;
  for (const model of run.models) {
    const s = run.summary.byModel[model];
    if (s === undefined || s.n === 0) continue;
    if (best === undefined || s.accuracy > (run.summary.byModel[best]?.accuracy ?? -1)) best = model;
  }
  return best;
}
