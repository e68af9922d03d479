// JSON Schema keywords that llama.cpp's grammar conversion (node-llama-cpp's createGrammarForJsonSchema)
// cannot express. A schema using one is refused up front with a 400 naming the keyword and where it is,
// rather than silently generating output that ignores it.
const UNSUPPORTED = [
  "pattern",
  "patternProperties",
  "anyOf",
  "allOf",
  "not",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "dependentRequired",
  "dependencies",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
  "uniqueItems",
  "minProperties",
  "maxProperties",
] as const;

const FORMATS = new Set(["date", "time", "date-time"]);
const CHILD_MAPS = ["properties", "$defs", "definitions"] as const;
const CHILD_LISTS = ["oneOf", "prefixItems"] as const;

export interface UnsupportedFeature {
  keyword: string;
  /** JSON pointer of the schema node that uses it. */
  path: string;
}

/** The first keyword the grammar cannot express, or null when the schema is fully supported. */
export function findUnsupportedFeature(schema: unknown, path = "#"): UnsupportedFeature | null {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return null;
  const node = schema as Record<string, unknown>;
  for (const keyword of UNSUPPORTED) if (keyword in node) return { keyword, path };
  if (typeof node.format === "string" && !FORMATS.has(node.format)) return { keyword: `format: ${node.format}`, path };
  if (typeof node.$ref === "string" && !/^#\/(\$defs|definitions)\//.test(node.$ref)) {
    return { keyword: `$ref to ${node.$ref}`, path };
  }
  const ap = node.additionalProperties;
  if (ap !== undefined && typeof ap === "object" && ap !== null) {
    const inner = findUnsupportedFeature(ap, `${path}/additionalProperties`);
    if (inner) return inner;
  }
  for (const key of CHILD_MAPS) {
    const map = node[key];
    if (map && typeof map === "object") {
      for (const [name, child] of Object.entries(map as Record<string, unknown>)) {
        const inner = findUnsupportedFeature(child, `${path}/${key}/${name}`);
        if (inner) return inner;
      }
    }
  }
  for (const key of CHILD_LISTS) {
    const list = node[key];
    if (Array.isArray(list)) {
      for (const [i, child] of list.entries()) {
        const inner = findUnsupportedFeature(child, `${path}/${key}/${i}`);
        if (inner) return inner;
      }
    }
  }
  if (node.items !== undefined) return findUnsupportedFeature(node.items, `${path}/items`);
  return null;
}
