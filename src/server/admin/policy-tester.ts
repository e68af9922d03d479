// The policy tester over the real engine: the text goes through the same inspect/decide/pseudonymize
// steps a chat request would, as one user message to an external target; nothing is sent anywhere.
import type { PolicyEngine } from "../../policy/index.js";
import type { ChatRequest } from "../../spec/index.js";
import type { PolicyTester } from "./deps.js";
import type { PolicyTestResult } from "./policy-types.js";

const WHY: Record<string, string> = {
  allow: "External models receive the text as it is.",
  pseudonymize: "Each value is replaced by a placeholder before the text leaves; answers get the values back.",
  redact: "Each value is replaced by its kind before the text leaves; nothing is restored.",
  block: "The request is refused (400 content_policy_violation) whatever the model.",
  keep_in_house: "Only in-house models may receive this text; external targets are skipped.",
};

export interface SyncPolicyTester extends PolicyTester {
  test(text: string): PolicyTestResult;
}

export function policyTester(engine: PolicyEngine): SyncPolicyTester {
  return {
    test(text): PolicyTestResult {
      const request: ChatRequest = { model: "policy-test", messages: [{ role: "user", content: text }] };
      const inspection = engine.inspect(request);
      const decision = inspection.blocked ?? inspection.decide(false);
      const { request: pseudonymized, table } = engine.pseudonymizeRequest(request, inspection);
      const placeholderOf = new Map(table.entries().map(([key, value]) => [value, key]));
      const replacement = (value: string): string | undefined => {
        const key = placeholderOf.get(value);
        if (key === undefined) return undefined;
        return decision.action === "redact" ? `[${key.slice(0, key.lastIndexOf("_"))}]` : `[${key}]`;
      };
      let external: string | null;
      if (decision.action === "block" || decision.action === "keep_in_house") external = null;
      else if (decision.action === "pseudonymize") external = contentOf(pseudonymized);
      else if (decision.action === "redact") external = contentOf(engine.redactRequest(request, inspection));
      else external = text;
      const replaced = decision.action === "pseudonymize" || decision.action === "redact";
      return {
        findings: inspection.findings.map((f) => ({
          kind: f.kind,
          category: f.category,
          start: f.start,
          end: f.end,
          ...(replaced && replacement(f.value) ? { replacement: replacement(f.value)! } : {}),
        })),
        action: decision.action,
        external,
        reason: decision.rule ? `${decision.rule}. ${WHY[decision.action] ?? ""}`.trim() : "Nothing sensitive found.",
      };
    },
  };
}

function contentOf(request: ChatRequest): string {
  const content = request.messages[0]?.content;
  return typeof content === "string" ? content : JSON.stringify(content);
}
