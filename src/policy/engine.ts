// The policy engine: built once from the config, then per request inspect → decide → pseudonymize/redact
// on the way out, restore on the way back. Pure: the vault is passed in by the caller.
import { policySchema, type PolicyConfig, type PolicyConfigInput } from "../config/policy-schema.js";
import { GatewayError } from "../errors/index.js";
import type { ChatRequest, EmbeddingRequest } from "../spec/index.js";
import { customMatcher } from "./custom-matchers.js";
import { countKinds, decide, policyRecord, type Decision, type PolicyRecord } from "./decision.js";
import { BUILTIN_DETECTORS, BUILTIN_KINDS } from "./detectors/index.js";
import { createTargetFilter, type TargetMeta, type TargetVerdict } from "./model-filter.js";
import { LabelSet, reservedKeys } from "./placeholder.js";
import { PseudonymTable } from "./pseudonym-table.js";
import { mapRequestText } from "./request-text.js";
import { createScanner } from "./scanner.js";
import type { Finding } from "./types.js";
import type { Vault } from "./vault.js";

/** A finding inside a request: `path` names the field, e.g. `messages[2].content[0].text`. */
export interface RequestFinding extends Finding {
  path: string;
}

export interface Inspection {
  findings: RequestFinding[];
  /** Count per kind: what the audit log and metrics may see. */
  kinds: Record<string, number>;
  /** The decision for a target that is in-house or not. */
  decide(inHouse: boolean): Decision;
  /** A block-list hit: refused whatever the target. */
  blocked: Decision | undefined;
  /** External targets may not receive this request (`on_sensitive.external: keep_in_house`). */
  inHouseOnly: boolean;
  /** Audit record for the decision actually applied. Never holds values. */
  record(decision: Decision, target?: string): PolicyRecord;
}

export interface PolicyEngine {
  readonly config: PolicyConfig;
  scanText(text: string): Finding[];
  inspect(request: ChatRequest | EmbeddingRequest): Inspection;
  /** `policy.models` verdict for one candidate target. */
  targetAllowed(target: TargetMeta): TargetVerdict;
  /** Replaces every finding by its placeholder, extending `table` (a fresh one when omitted). */
  pseudonymizeRequest<R extends ChatRequest | EmbeddingRequest>(request: R, inspection: Inspection, table?: PseudonymTable): { request: R; table: PseudonymTable };
  /** Replaces every finding by its bare label, e.g. `[EMAIL]`; nothing to restore. */
  redactRequest<R extends ChatRequest | EmbeddingRequest>(request: R, inspection: Inspection): R;
  /** The conversation's table from a vault, or a fresh one. */
  loadTable(vault: Vault, conversation: string): Promise<PseudonymTable>;
  /** Saves a non-empty table with the configured TTL (also refreshing the TTL of an active conversation). */
  saveTable(vault: Vault, conversation: string, table: PseudonymTable): Promise<void>;
}

/** The 400 for a request the policy refuses. Names the alias and the rule, never a value. */
export function policyViolation(decision: Decision, alias: string): GatewayError {
  const what = decision.kinds.length > 0 ? ` (found: ${decision.kinds.join(", ")})` : "";
  if (decision.action === "keep_in_house") {
    return new GatewayError(
      "content_policy_violation",
      `The request contains sensitive data${what} that ${decision.rule ?? "the policy"} keeps in-house, and model "${alias}" has no in-house target. Use a model served in-house or remove the data.`,
    );
  }
  return new GatewayError("content_policy_violation", `The request was refused by ${decision.rule ?? "the policy"}${what} for model "${alias}". Remove the data and retry.`);
}

/**
 * A value once found is sensitive wherever it appears: also take its occurrences that detection missed
 * (glued to letters, in a JSON key, in another message), so it never leaves in clear. Only personal data
 * and secrets of 6+ characters: custom terms keep their word boundaries.
 */
function withRepeats(findings: RequestFinding[], segments: readonly [string, string][]): RequestFinding[] {
  const known = new Map<string, RequestFinding>();
  for (const f of findings) if (f.category !== "custom" && f.value.length >= 6 && !known.has(f.value)) known.set(f.value, f);
  if (known.size === 0) return findings;
  const out = [...findings];
  let added = false;
  // One pass per segment with all values in one alternation (longest first): indexOf per value was
  // O(values × text) and dominated large prompts with many findings.
  const values = [...known.keys()].sort((a, b) => b.length - a.length);
  const re = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  for (const [path, text] of segments) {
    const here = findings.filter((f) => f.path === path);
    let h = 0;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const i = m.index;
      const end = i + m[0].length;
      while (h < here.length && here[h]!.end <= i) h++;
      if (h < here.length && here[h]!.start < end) continue;
      out.push({ ...known.get(m[0])!, path, start: i, end });
      added = true;
    }
  }
  if (!added) return findings;
  // Keep findings of one path together and in order, as pseudonymization splices them in sequence.
  const order = new Map(segments.map(([p], i) => [p, i]));
  out.sort((a, b) => order.get(a.path)! - order.get(b.path)! || a.start - b.start || b.end - a.end);
  return out.filter((f, i) => i === 0 || out[i - 1]!.path !== f.path || f.start >= out[i - 1]!.end);
}

function splice(text: string, findings: readonly RequestFinding[], replace: (f: RequestFinding) => string): string {
  let out = "";
  let last = 0;
  for (const f of findings) {
    out += text.slice(last, f.start) + replace(f);
    last = f.end;
  }
  return out + text.slice(last);
}

export function createPolicyEngine(input: PolicyConfigInput | PolicyConfig = {}): PolicyEngine {
  const config = policySchema.parse(input);
  const custom = config.custom.map((rule) => {
    if (BUILTIN_KINDS.has(rule.name)) throw new Error(`policy.custom: name "${rule.name}" is a built-in kind; choose another name`);
    return customMatcher(rule);
  });
  const known = new Set<string>(["pii", "secret", "custom", ...BUILTIN_KINDS.keys(), ...custom.map((c) => c.kind)]);
  for (const b of config.block) {
    if (!known.has(b)) throw new Error(`policy.block: unknown kind or category "${b}"; known: ${[...known].sort().join(", ")}`);
  }
  const scanner = createScanner(BUILTIN_DETECTORS, custom);
  const labelOf = new Map<string, string>([...BUILTIN_DETECTORS.map((d) => [d.kind, d.label] as const), ...custom.map((c) => [c.kind, c.label] as const)]);
  const allLabels = new LabelSet(labelOf.values());
  const rules = { onSensitive: config.on_sensitive, block: config.block };
  const targetFilter = createTargetFilter(config.models);
  const ttlMs = config.vault.ttl_seconds * 1000;

  function inspect(request: ChatRequest | EmbeddingRequest): Inspection {
    let findings: RequestFinding[] = [];
    const segments: [path: string, text: string][] = [];
    mapRequestText(request, (text, path) => {
      segments.push([path, text]);
      for (const f of scanner.scan(text)) findings.push({ ...f, path });
      return undefined;
    });
    if (findings.length > 0) findings = withRepeats(findings, segments);
    const external = decide(findings, false, rules);
    const blocked = external.rule?.startsWith("policy.block:") === true ? external : undefined;
    return {
      findings,
      kinds: countKinds(findings),
      decide: (inHouse) => decide(findings, inHouse, rules),
      blocked,
      inHouseOnly: blocked === undefined && external.action === "keep_in_house",
      record: (decision, target) => policyRecord(findings, decision, target),
    };
  }

  function byPath(inspection: Inspection): Map<string, RequestFinding[]> {
    const m = new Map<string, RequestFinding[]>();
    for (const f of inspection.findings) {
      const list = m.get(f.path);
      if (list === undefined) m.set(f.path, [f]);
      else list.push(f);
    }
    return m;
  }

  /** Literal placeholder-like text already in the request: those indices are not handed out. */
  function reserveLiterals(request: ChatRequest | EmbeddingRequest, table: PseudonymTable): void {
    const keys: string[] = [];
    mapRequestText(request, (text) => {
      keys.push(...reservedKeys(text, allLabels));
      return undefined;
    });
    table.reserve(keys);
  }

  return {
    config,
    scanText: (text) => scanner.scan(text),
    inspect,
    targetAllowed: targetFilter,
    pseudonymizeRequest(request, inspection, table = new PseudonymTable()) {
      if (inspection.findings.length === 0) return { request, table };
      reserveLiterals(request, table);
      const groups = byPath(inspection);
      const out = mapRequestText(request, (text, path) => {
        const list = groups.get(path);
        return list === undefined ? undefined : splice(text, list, (f) => table.placeholderFor(labelOf.get(f.kind) ?? "REDACTED", f.value));
      });
      return { request: out, table };
    },
    redactRequest(request, inspection) {
      if (inspection.findings.length === 0) return request;
      const groups = byPath(inspection);
      return mapRequestText(request, (text, path) => {
        const list = groups.get(path);
        return list === undefined ? undefined : splice(text, list, (f) => `[${labelOf.get(f.kind) ?? "REDACTED"}]`);
      });
    },
    async loadTable(vault, conversation) {
      const entries = await vault.get(conversation);
      return entries === undefined ? new PseudonymTable() : PseudonymTable.fromEntries(entries);
    },
    async saveTable(vault, conversation, table) {
      if (table.size === 0) return;
      await vault.put(conversation, table.entries(), ttlMs);
      table.changed = false;
    },
  };
}
