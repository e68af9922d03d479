// Makes a JSON schema's grammar tighter than node-llama-cpp builds it, where the request asked for it:
// a small integer range becomes an enum of its values (the grammar has no numeric bounds), and the GBNF
// number rules lose the exponents that let `6e68` pass as an integer or overflow to Infinity.
const MAX_ENUM_RANGE = 512;

export function narrowForGrammar(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(narrowForGrammar);
  if (schema === null || typeof schema !== "object") return schema;
  const node = schema as Record<string, unknown>;
  const range = integerRange(node);
  if (range) {
    const values: number[] = [];
    for (let v = range.min; v <= range.max; v++) values.push(v);
    return { enum: values };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "enum" || key === "const") out[key] = value;
    else if (key === "properties" || key === "$defs" || key === "definitions") {
      out[key] = Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, narrowForGrammar(v)]));
    } else out[key] = narrowForGrammar(value);
  }
  return out;
}

function integerRange(node: Record<string, unknown>): { min: number; max: number } | undefined {
  if (node.type !== "integer") return undefined;
  const min = typeof node.minimum === "number" ? Math.ceil(node.minimum) : typeof node.exclusiveMinimum === "number" ? Math.floor(node.exclusiveMinimum) + 1 : undefined;
  const max = typeof node.maximum === "number" ? Math.floor(node.maximum) : typeof node.exclusiveMaximum === "number" ? Math.ceil(node.exclusiveMaximum) - 1 : undefined;
  if (min === undefined || max === undefined || max < min || max - min + 1 > MAX_ENUM_RANGE) return undefined;
  if (typeof node.multipleOf === "number") return undefined;
  return { min, max };
}

/** Rewrites node-llama-cpp's number rules: integers without exponent and within 2^53, short exponents. */
export function tightenNumberRules(gbnf: string): string {
  return gbnf
    .replace(
      /^integer-number-rule ::= .*$/m,
      'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,14})',
    )
    .replace(
      /^fractional-number-rule ::= .*$/m,
      'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?',
    );
}
