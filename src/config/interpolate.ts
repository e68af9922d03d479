// `${VAR}` and `${VAR:-default}` in the config file; `$${` escapes a literal `${`.
//
// The contract's own examples write `api_key: ${KEY}` inside YAML flow mappings (`{ ... }`), where a bare
// `${` is a syntax error. So each expression is first swapped for an inert token that YAML reads as plain
// text (`protect`), the file is parsed, and the tokens in string values are then resolved (`interpolate`).
// Resolving after parsing means a variable holding YAML syntax cannot change the file's structure.

export class InterpolationError extends Error {
  constructor(
    readonly path: string,
    readonly variable: string,
  ) {
    super(`environment variable ${variable} is not set`);
  }
}

const EXPRESSION = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}\n]*))?\}/g;
const TOKEN = /__inhouse_env_(\d+)__/g;

export interface Protected {
  text: string;
  expressions: string[];
}

export function protect(text: string): Protected {
  const expressions: string[] = [];
  const out = text.replace(EXPRESSION, (match) => {
    expressions.push(match);
    return `__inhouse_env_${expressions.length - 1}__`;
  });
  return { text: out, expressions };
}

function resolveExpression(expr: string, env: NodeJS.ProcessEnv, path: string): string {
  if (expr === "$${") return "${";
  EXPRESSION.lastIndex = 0;
  const m = EXPRESSION.exec(expr)!;
  const name = m[1]!;
  const v = env[name];
  if (v !== undefined && v !== "") return v;
  if (m[2] !== undefined) return m[2];
  throw new InterpolationError(path, name);
}

export function interpolate(value: unknown, env: NodeJS.ProcessEnv, expressions: readonly string[], path = ""): unknown {
  if (typeof value === "string") {
    if (!value.includes("__inhouse_env_")) return value;
    return value.replace(TOKEN, (_, i: string) => resolveExpression(expressions[Number(i)]!, env, path));
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, expressions, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, env, expressions, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
