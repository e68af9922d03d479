import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

test("Kysely's values come only from store/kysely.ts (its CommonJS build): an ESM import would load a second copy", () => {
  // `import { type A } from "kysely"` counts too: with verbatimModuleSyntax it stays an import of the module.
  const valueImport = /^\s*import\s+(?!type\s)[^;]*?\bfrom\s+["']kysely(?:\/[^"']*)?["']/m;
  const offenders = [...sources(join(root, "src")), ...sources(join(root, "test"))]
    .filter((file) => !file.endsWith(join("store", "kysely.ts")) && valueImport.test(readFileSync(file, "utf8")))
    .map((file) => relative(root, file));
  assert.deepEqual(offenders, []);
});
