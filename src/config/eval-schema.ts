// Schemas of the files an eval reads: generic JSONL suite items and prompt-template overrides. Strict, so
// a misspelt key is reported with its name rather than silently ignored.
import { z } from "zod";

const ignoreCase = z.boolean().optional();

export const assertionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("exact"), value: z.string().optional(), ignore_case: ignoreCase }),
  z.strictObject({ type: z.literal("contains"), value: z.union([z.string(), z.array(z.string())]).optional(), ignore_case: ignoreCase }),
  z.strictObject({ type: z.literal("regex"), pattern: z.string(), flags: z.string().regex(/^[dgimsuvy]*$/).optional() }),
  z.strictObject({ type: z.literal("numeric"), value: z.union([z.number(), z.string()]).optional(), tolerance: z.number().nonnegative().optional() }),
  z.strictObject({ type: z.literal("choice"), choices: z.array(z.string()).min(2), value: z.string().optional() }),
  z.strictObject({ type: z.literal("is-json") }),
  z.strictObject({ type: z.literal("json-schema"), schema: z.record(z.string(), z.unknown()) }),
  z.strictObject({ type: z.literal("rubric"), rubric: z.string().min(1), pass: z.number().min(0).max(1).optional() }),
]);

const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]),
});

export const evalJsonlItemSchema = z
  .strictObject({
    id: z.union([z.string().min(1), z.number()]),
    lang: z.string().min(2),
    messages: z.array(messageSchema).min(1).optional(),
    prompt: z.string().optional(),
    expected: z.union([z.string(), z.number()]).optional(),
    assert: z.union([assertionSchema, z.array(assertionSchema).min(1)]).optional(),
  })
  .refine((v) => (v.messages === undefined) !== (v.prompt === undefined), { message: 'give exactly one of "messages" or "prompt"' })
  .refine((v) => v.expected !== undefined || v.assert !== undefined, { message: 'give "expected", "assert" or both' });

export const promptTemplateSchema = z.strictObject({
  system: z.string().optional(),
  user: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
});

/** A templates file: `{ zh: { user: "..." }, "*": { ... } }`. */
export const templateSetSchema = z.record(z.string(), promptTemplateSchema);

export type EvalJsonlItem = z.infer<typeof evalJsonlItemSchema>;
