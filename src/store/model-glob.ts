// Which models a key may call: globs over alias or catalog names, "*" any run of characters (slashes
// included, so "lab-vllm/*" works), "?" one character. Compiled once per distinct pattern.
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 10_000;

function toRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (re) return re;
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  re = new RegExp(`^${body}$`);
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(glob, re);
  return re;
}

/** null (no list) allows every model; an empty list allows none. */
export function modelAllowed(globs: readonly string[] | null, model: string): boolean {
  if (globs === null) return true;
  for (const glob of globs) {
    if (glob === model || toRegExp(glob).test(model)) return true;
  }
  return false;
}
