// What POST /admin/policy/test answers (also read by the console, so this file imports nothing).

/** One detected value as the policy tester shows it. */
export interface PolicyTestFinding {
  kind: string;
  category: string;
  start: number;
  end: number;
  /** The placeholder that replaces it toward an external model, when it is replaced. */
  replacement?: string;
}

export interface PolicyTestResult {
  findings: PolicyTestFinding[];
  /** What the policy decides for this text: allow, pseudonymize, redact, block, keep_in_house... */
  action: string;
  /** What an external (not in-house) model would receive; null when the text would not leave at all. */
  external: string | null;
  /** Why, in one sentence (which rule applied). */
  reason?: string;
}
