// Checks a parsed value against the subset of JSON Schema the grammar accepts, plus the numeric bounds the
// grammar does not enforce (minimum, maximum, multipleOf) and integer-ness: llama.cpp's integer rule lets
// through exponents such as 6e68, so numbers are validated after parsing.
type Schema = Record<string, unknown>;

export function validateJson(value: unknown, schema: unknown, root: unknown = schema, path = "$"): string | null {
  if (schema === true || schema === undefined) return null;
  if (schema === false) return `${path}: no value is allowed here`;
  if (typeof schema !== "object" || schema === null) return null;
  const s = schema as Schema;
  if (typeof s.$ref === "string") return validateJson(value, resolveRef(root, s.$ref), root, path);
  if ("const" in s && JSON.stringify(s.const) !== JSON.stringify(value)) return `${path}: must be ${JSON.stringify(s.const)}`;
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${path}: must be one of ${JSON.stringify(s.enum)}`;
  }
  if (Array.isArray(s.oneOf)) {
    const matches = s.oneOf.filter((sub) => validateJson(value, sub, root, path) === null).length;
    if (matches !== 1) return `${path}: must match exactly one schema of oneOf (matched ${matches})`;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(value, t))) return `${path}: must be ${types.join(" or ")}`;
  }
  if (typeof value === "number") return checkNumber(value, s, path);
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && [...value].length < s.minLength) return `${path}: shorter than ${s.minLength}`;
    if (typeof s.maxLength === "number" && [...value].length > s.maxLength) return `${path}: longer than ${s.maxLength}`;
  }
  if (Array.isArray(value)) return checkArray(value, s, root, path);
  if (value !== null && typeof value === "object") return checkObject(value as Record<string, unknown>, s, root, path);
  return null;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function checkNumber(v: number, s: Schema, path: string): string | null {
  if (typeof s.minimum === "number" && v < s.minimum) return `${path}: below minimum ${s.minimum}`;
  if (typeof s.maximum === "number" && v > s.maximum) return `${path}: above maximum ${s.maximum}`;
  if (typeof s.exclusiveMinimum === "number" && v <= s.exclusiveMinimum) return `${path}: not above ${s.exclusiveMinimum}`;
  if (typeof s.exclusiveMaximum === "number" && v >= s.exclusiveMaximum) return `${path}: not below ${s.exclusiveMaximum}`;
  if (typeof s.multipleOf === "number" && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) {
    return `${path}: not a multiple of ${s.multipleOf}`;
  }
  return null;
}

function checkArray(v: unknown[], s: Schema, root: unknown, path: string): string | null {
  if (typeof s.minItems === "number" && v.length < s.minItems) return `${path}: fewer than ${s.minItems} items`;
  if (typeof s.maxItems === "number" && v.length > s.maxItems) return `${path}: more than ${s.maxItems} items`;
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
  for (const [i, item] of v.entries()) {
    const sub = i < prefix.length ? prefix[i] : s.items;
    const err = validateJson(item, sub, root, `${path}[${i}]`);
    if (err) return err;
  }
  return null;
}

function checkObject(v: Record<string, unknown>, s: Schema, root: unknown, path: string): string | null {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
    if (!(key in v)) return `${path}: missing required property "${key}"`;
  }
  for (const [key, item] of Object.entries(v)) {
    const sub = key in props ? props[key] : s.additionalProperties;
    if (sub === false) {
      return `${path}: unexpected property "${key}"`;
    }
    const err = validateJson(item, sub, root, `${path}.${key}`);
    if (err) return err;
  }
  return null;
}

function resolveRef(root: unknown, ref: string): unknown {
  let node: unknown = root;
  for (const part of ref.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  return node;
}
