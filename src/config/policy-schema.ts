// The `policy:` section of the config: what happens to requests that carry personal data or secrets.
// Defaults protect: values are pseudonymized before leaving the building, in-house targets see them.
import { z } from "zod";

export const SENSITIVE_ACTIONS = ["pseudonymize", "redact", "block", "keep_in_house", "allow"] as const;
export const sensitiveActionSchema = z.enum(SENSITIVE_ACTIONS);
export type SensitiveAction = z.infer<typeof sensitiveActionSchema>;

const ruleName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "lower-case letters, digits and _, starting with a letter (it becomes the kind name)");

function compiles(pattern: string, flags: string | undefined): string | undefined {
  try {
    const re = new RegExp(pattern, flags);
    if (re.test("")) return "matches the empty string";
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const customPatternSchema = z
  .strictObject({
    name: ruleName,
    pattern: z.string().min(1),
    /** Regex flags besides g, e.g. "i" or "u". */
    flags: z.string().regex(/^[imsuv]*$/, "only i, m, s, u, v").optional(),
  })
  .superRefine((rule, ctx) => {
    const problem = compiles(rule.pattern, rule.flags);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["pattern"], message: `invalid regular expression: ${problem}` });
  });

const customTermsSchema = z.strictObject({
  name: ruleName,
  terms: z.array(z.string().min(1)).min(1),
  case_sensitive: z.boolean().optional(),
});

const modelsRuleSchema = z.strictObject({
  /** Only targets whose catalog origin is listed (case-insensitive). A target of unknown origin is refused. */
  allow_origins: z.array(z.string().min(1)).optional(),
  /** Targets whose catalog origin is listed are refused. */
  deny_origins: z.array(z.string().min(1)).default([]),
  /** Only targets whose license id is listed (case-insensitive); the entry `commercial` admits any license that allows commercial use. */
  allow_licenses: z.array(z.string().min(1)).optional(),
});

export const policySchema = z
  .strictObject({
    on_sensitive: z
      .strictObject({
        /** For targets outside the company (hosted APIs). */
        external: sensitiveActionSchema.default("pseudonymize"),
        /** For targets with in_house: true. */
        in_house: sensitiveActionSchema.default("allow"),
      })
      .prefault({}),
    /** Kinds or categories (pii, secret, custom) refused for every target: 400 content_policy_violation. */
    block: z.array(z.string().min(1)).default([]),
    custom: z.array(z.union([customPatternSchema, customTermsSchema])).default([]),
    models: modelsRuleSchema.prefault({}),
    /** How long a conversation's placeholder mapping is kept, and how many conversations at most (in memory). */
    vault: z
      .strictObject({
        ttl_seconds: z.number().int().positive().default(3600),
        max_conversations: z.number().int().positive().default(10_000),
      })
      .prefault({}),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.custom.forEach((rule, i) => {
      if (seen.has(rule.name)) ctx.addIssue({ code: "custom", path: ["custom", i, "name"], message: `duplicate custom rule name "${rule.name}"` });
      seen.add(rule.name);
    });
  });

export type PolicyConfig = z.output<typeof policySchema>;
export type PolicyConfigInput = z.input<typeof policySchema>;
export type ModelsRule = PolicyConfig["models"];
export type CustomRuleConfig = PolicyConfig["custom"][number];
