// What to do with a request, given what was found in it and where it is going. Pure.
import type { SensitiveAction } from "../config/policy-schema.js";
import type { Category } from "./types.js";

export type { SensitiveAction };

export interface DecisionRules {
  onSensitive: { external: SensitiveAction; in_house: SensitiveAction };
  /** Kind names or categories refused everywhere. */
  block: readonly string[];
}

export interface Decision {
  /** Never `keep_in_house` for an in-house target (that is `allow` there). */
  action: SensitiveAction;
  /** The config rule that chose the action, e.g. `policy.block: secret`; null when nothing was found. */
  rule: string | null;
  /** Kinds behind the action (the blocked ones for a block, all found otherwise), sorted. */
  kinds: string[];
}

/** Per-request audit record: counts per kind and the action. Never the values. */
export interface PolicyRecord {
  kinds: Record<string, number>;
  action: SensitiveAction;
  rule: string | null;
  target?: string;
}

export function countKinds(findings: readonly { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}

export function decide(findings: readonly { kind: string; category: Category }[], inHouse: boolean, rules: DecisionRules): Decision {
  if (findings.length === 0) return { action: "allow", rule: null, kinds: [] };
  const blocked = new Set<string>();
  let blockRule: string | undefined;
  for (const f of findings) {
    const hit = rules.block.find((b) => b === f.kind || b === f.category);
    if (hit !== undefined) {
      blocked.add(f.kind);
      blockRule ??= hit;
    }
  }
  if (blockRule !== undefined) return { action: "block", rule: `policy.block: ${blockRule}`, kinds: [...blocked].sort() };
  const kinds = [...new Set(findings.map((f) => f.kind))].sort();
  const key = inHouse ? "in_house" : "external";
  const chosen = rules.onSensitive[key];
  // keep_in_house is satisfied by any in-house target.
  const action = inHouse && chosen === "keep_in_house" ? "allow" : chosen;
  return { action, rule: `policy.on_sensitive.${key}: ${chosen}`, kinds };
}

export function policyRecord(findings: readonly { kind: string }[], decision: Decision, target?: string): PolicyRecord {
  return { kinds: countKinds(findings), action: decision.action, rule: decision.rule, ...(target === undefined ? {} : { target }) };
}
