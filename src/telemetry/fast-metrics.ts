// Counters and histograms whose per-request update is a property increment on a child the caller keeps:
// prom-client's own children re-hash and re-validate their labels on every call (≈ 2 µs each), too much
// for the hot path. These register in a prom-client Registry, which formats them at scrape time.
import type { Metric, Registry } from "prom-client";

export type Labels = Readonly<Record<string, string>>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

export interface CounterChild {
  value: number;
}

export class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (v <= b[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }
}

abstract class Family {
  readonly aggregator = "sum";
  abstract readonly type: "counter" | "histogram";

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  protected abstract values(): MetricValue[];

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() });
  }

  reset(): void {}
}

export class CounterFamily extends Family {
  readonly type = "counter";
  private readonly children: (CounterChild & { labels: Labels })[] = [];

  /** A new child: call once per label set and keep it. */
  child(labels: Labels): CounterChild {
    const c = { labels, value: 0 };
    this.children.push(c);
    return c;
  }

  protected values(): MetricValue[] {
    return this.children.map((c) => ({ labels: c.labels, value: c.value }));
  }
}

export class HistogramFamily extends Family {
  readonly type = "histogram";
  private readonly children: HistogramChild[] = [];

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, registry);
  }

  child(labels: Labels): HistogramChild {
    const c = new HistogramChild(labels, this.bounds);
    this.children.push(c);
    return c;
  }

  protected values(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const c of this.children) {
      let cumulative = 0;
      this.bounds.forEach((b, i) => {
        cumulative += c.counts[i]!;
        out.push({ metricName: `${this.name}_bucket`, labels: { ...c.labels, le: String(b) }, value: cumulative });
      });
      out.push({ metricName: `${this.name}_bucket`, labels: { ...c.labels, le: "+Inf" }, value: c.count });
      out.push({ metricName: `${this.name}_sum`, labels: c.labels, value: c.sum });
      out.push({ metricName: `${this.name}_count`, labels: c.labels, value: c.count });
    }
    return out;
  }
}
