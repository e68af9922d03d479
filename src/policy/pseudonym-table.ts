// The mapping of one conversation: value ↔ placeholder. The same value always gets the same placeholder;
// indices count per label in order of first appearance, skipping indices that already occur literally in
// the conversation's text (so a user who writes "[EMAIL_1]" does not get someone's address back).
import { formatPlaceholder, LabelSet, placeholderKey } from "./placeholder.js";

/** Serializable form, as stored in a vault: `[key, value]` pairs, key `LABEL_N`. */
export type PseudonymEntries = readonly (readonly [key: string, value: string])[];

export class PseudonymTable {
  private readonly byValue = new Map<string, string>();
  private readonly byKey = new Map<string, string>();
  private readonly last = new Map<string, number>();
  private readonly reserved = new Set<string>();
  private labelSet: LabelSet | undefined;
  /** True once a placeholder was added since construction (the vault needs saving). */
  changed = false;

  static fromEntries(entries: PseudonymEntries): PseudonymTable {
    const t = new PseudonymTable();
    for (const [key, value] of entries) t.add(key, value);
    t.changed = false;
    return t;
  }

  private add(key: string, value: string): void {
    this.byKey.set(key, value);
    if (!this.byValue.has(value)) this.byValue.set(value, key);
    const cut = key.lastIndexOf("_");
    const label = key.slice(0, cut);
    this.last.set(label, Math.max(this.last.get(label) ?? 0, Number(key.slice(cut + 1))));
    this.labelSet = undefined;
  }

  /** Keys that appear literally in the text and must not be handed out. */
  reserve(keys: Iterable<string>): void {
    for (const k of keys) if (!this.byKey.has(k)) this.reserved.add(k);
  }

  /** The placeholder text for a value, allocating the next free index of `label` for a new value. */
  placeholderFor(label: string, value: string): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return `[${known}]`;
    let n = this.last.get(label) ?? 0;
    do n++;
    while (this.reserved.has(placeholderKey(label, n)));
    this.add(placeholderKey(label, n), value);
    this.changed = true;
    return formatPlaceholder(label, n);
  }

  lookup(key: string): string | undefined {
    return this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  labels(): LabelSet {
    this.labelSet ??= new LabelSet(this.last.keys());
    return this.labelSet;
  }

  entries(): PseudonymEntries {
    return [...this.byKey];
  }
}
