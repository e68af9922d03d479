// Language detection benchmark: accuracy per language and microseconds per prompt for each candidate on
// the shared MGSM and XCOPA texts. Run: `node --import tsx bench/langid/run.ts` (needs ../shared/datasets).
// Ratios are against eld large, measured in the same run.
import { CANDIDATES, MODULES, type Candidate } from "./detectors.js";
import { loadCost } from "./load-cost.js";
import { datasetsDir, longSamples, mgsmSamples, xcopaSamples, type Sample } from "./corpus.js";

const REFERENCE = "eld 2.1 large";
/** Each timing pass stops after this many rounds or milliseconds, whichever comes first. */
const MAX_ROUNDS = 5;
const MAX_MS = 3000;

function accuracy(c: Candidate, samples: Sample[]): number {
  if (samples.length === 0) return NaN;
  return samples.filter((s) => c.detect(s.text) === s.lang).length / samples.length;
}

/**
 * CPU time (not wall time: the machine is shared and a descheduled pass would count others' work), best of
 * up to MAX_ROUNDS passes over the samples, per text.
 */
function microsPerText(c: Candidate, samples: Sample[]): number {
  for (const s of samples.slice(0, 20)) c.detect(s.text); // warm-up: JIT and lazy tables
  let best = Infinity;
  const start = performance.now();
  for (let round = 0; round < MAX_ROUNDS && performance.now() - start < MAX_MS; round++) {
    const before = process.cpuUsage();
    for (const s of samples) c.detect(s.text);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / samples.length);
  }
  return best;
}

const pct = (x: number): string => (Number.isNaN(x) ? "—" : `${(x * 100).toFixed(1)}%`);
const row = (cells: string[]): string => `| ${cells.join(" | ")} |`;

function accuracyTable(title: string, samples: Sample[]): string {
  const langs = [...new Set(samples.map((s) => s.lang))];
  const lines = [`### ${title}`, "", row(["detector", ...langs, "all"]), row(["---", ...langs.map(() => "---:"), "---:"])];
  for (const c of CANDIDATES) {
    const cells = langs.map((l) => pct(accuracy(c, samples.filter((s) => s.lang === l))));
    lines.push(row([c.name, ...cells, pct(accuracy(c, samples))]));
  }
  return lines.join("\n");
}

function speedTable(sets: Array<[string, Sample[]]>): string {
  const lines = [
    "### Microseconds per prompt (CPU time, best of 5 passes; ratio to eld large in the same run)",
    "",
    row(["detector", ...sets.map(([name, s]) => `${name} (${Math.round(meanChars(s))} chars)`)]),
    row(["---", ...sets.map(() => "---:")]),
  ];
  const us = new Map(CANDIDATES.map((c) => [c.name, sets.map(([, s]) => microsPerText(c, s))]));
  const ref = us.get(REFERENCE) ?? [];
  for (const c of CANDIDATES) {
    const cells = (us.get(c.name) ?? []).map((v, i) => `${v.toFixed(1)} µs (×${(v / (ref[i] ?? v)).toFixed(2)})`);
    lines.push(row([c.name, ...cells]));
  }
  return lines.join("\n");
}

function speedByLanguage(samples: Sample[]): string {
  const langs = [...new Set(samples.map((s) => s.lang))];
  const lines = [
    "### Microseconds per prompt by language (CPU time; MGSM questions and XCOPA items together)",
    "",
    row(["detector", ...langs]),
    row(["---", ...langs.map(() => "---:")]),
  ];
  for (const c of CANDIDATES) {
    lines.push(row([c.name, ...langs.map((l) => microsPerText(c, samples.filter((s) => s.lang === l)).toFixed(1))]));
  }
  return lines.join("\n");
}

function meanChars(samples: Sample[]): number {
  return samples.reduce((n, s) => n + s.text.length, 0) / Math.max(1, samples.length);
}

const dir = datasetsDir();
const mgsm = mgsmSamples(dir);
const xcopa = xcopaSamples(dir, "item");
const premises = xcopaSamples(dir, "premise");
const long = longSamples(mgsm);
console.log(`# langid benchmark — node ${process.version}, ${new Date().toISOString()}`);
console.log(`${mgsm.length} MGSM questions, ${xcopa.length} XCOPA items, ${long.length} long prompts\n`);
console.log(accuracyTable("Accuracy: MGSM questions", mgsm), "\n");
console.log(accuracyTable("Accuracy: XCOPA items (premise + two choices)", xcopa), "\n");
console.log(accuracyTable("Accuracy: XCOPA premises alone (short: 3–10 words)", premises), "\n");
console.log(accuracyTable("Accuracy: long prompts (40 MGSM questions joined)", long), "\n");
console.log(speedTable([["MGSM", mgsm], ["XCOPA item", xcopa], ["XCOPA premise", premises], ["long", long]]), "\n");
console.log(speedByLanguage([...mgsm, ...xcopa]), "\n");
const root = new URL("../../", import.meta.url).pathname;
const costs = MODULES.map((m) => loadCost(m, root));
const refCost = costs.find((c) => c.module === "eld/large");
console.log("### Start-up cost per module (fresh process, best of 3; ratio to eld/large)\n");
console.log(row(["module", "import ms", "RSS added MB"]));
console.log(row(["---", "---:", "---:"]));
for (const c of costs) {
  console.log(row([c.module, `${c.ms.toFixed(0)} (×${(c.ms / (refCost?.ms ?? c.ms)).toFixed(2)})`, `${c.mb.toFixed(0)} (×${(c.mb / (refCost?.mb ?? c.mb)).toFixed(2)})`]));
}
