// Shared shapes of the policy layer: what a detector finds and how detectors are described.

/** Kinds are grouped so a policy can name a whole group (`block: [secret]`) or single kinds. */
export type Category = "pii" | "secret" | "custom";

/** One detected value. Offsets are UTF-16 indices into the scanned string, end exclusive. */
export interface Finding {
  kind: string;
  category: Category;
  start: number;
  end: number;
  value: string;
}

export interface Span {
  start: number;
  end: number;
}

/**
* Where a detector wants to be woken. The `prefilter` sources of all detectors are joined into one plain
 * alternation (no lookbehind, so the regex engine can skip ahead on first characters); at each hit the
 * detectors whose `first` character class holds the character there check their exact `guard` (with
 * boundary lookbehinds) before running their own pattern. Detectors sharing a trigger share one check.
 */
export interface Trigger {
  /** Regex source, no capture groups, no lookbehind; matched where a value could start (or at its "@"). */
  prefilter: string;
  /** Regex character class of the characters a prefilter hit for this trigger starts with, e.g. "[0-9+(]". */
  first: string;
  /** Sticky regex source tested at the hit, with boundary conditions; defaults to `prefilter`. */
  guard?: string;
  /** Fewest digits in the number token at the hit (digits joined by single separators) worth a look. */
  minDigits?: number;
}

/** A detector: a trigger, then its own pattern and validator at the hit. */
export interface Detector {
  kind: string;
  category: Category;
  /** Placeholder label, e.g. EMAIL for `[EMAIL_1]`: upper-case ASCII letters only. */
  label: string;
  trigger: Trigger;
  /** Called at the index of a prefilter hit; returns the span of a validated value, or undefined. */
  match(text: string, at: number): Span | undefined;
  /**
   * The value's shape without its validator, for kinds a context label can name (see kind-labels.ts):
   * when the label nearest a number names this kind and the shape fits, this detector alone decides.
   */
  fits?(text: string, at: number): boolean;
  /** `match` for a value its label names, when `match` yields to look-alike kinds by script (default `match`). */
  matchLabelled?(text: string, at: number): Span | undefined;
}
