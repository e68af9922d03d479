// Where a suite's file for one language lives: --data may be a file, a directory, a URL template with
// {lang}, a base URL, or nothing (the preset's canonical URL).
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { GatewayError } from "../errors/index.js";
import type { DatasetPreset } from "./presets.js";
import { isUrl } from "./source.js";

const fill = (pattern: string, vars: Record<string, string>): string =>
  pattern.replace(/\{(\w+)\}/g, (all, name: string) => vars[name] ?? all);

async function kind(path: string): Promise<"file" | "dir" | "none"> {
  try {
    return (await stat(path)).isDirectory() ? "dir" : "file";
  } catch {
    return "none";
  }
}

/** Returns one location per language, in the order of `langs`. */
export async function locateFiles(
  data: string | undefined,
  preset: DatasetPreset,
  langs: string[],
  vars: Record<string, string> = {},
): Promise<string[]> {
  if (data === undefined || data === "") return langs.map((lang) => fill(preset.url, { ...vars, lang }));
  if (data.includes("{lang}")) return langs.map((lang) => fill(data, { ...vars, lang }));
  if (isUrl(data)) {
    // A URL to one file serves one language; otherwise it is a base under which the preset's layout sits.
    if (/\.(tsv|jsonl|json)(\?.*)?$/i.test(data)) return singleFile(data, langs);
    const file = preset.files[0] ?? "";
    return langs.map((lang) => `${data.replace(/\/+$/, "")}/${fill(file, { ...vars, lang })}`);
  }
  const what = await kind(data);
  if (what === "none") throw new GatewayError("invalid_request", `suite data not found: ${data}`);
  if (what === "file") return singleFile(data, langs);
  const out: string[] = [];
  for (const lang of langs) {
    const tried = preset.files.map((f) => join(data, fill(f, { ...vars, lang })));
    let found: string | undefined;
    for (const path of tried) if ((await kind(path)) === "file") { found = path; break; }
    if (found === undefined) throw new GatewayError("invalid_request", `no file for language "${lang}" in ${data} (tried ${tried.join(", ")})`);
    out.push(found);
  }
  return out;
}

function singleFile(location: string, langs: string[]): string[] {
  if (langs.length !== 1) {
    throw new GatewayError("invalid_request", `${location} is one file: give exactly one --lang, or a directory or a URL with {lang}`);
  }
  return [location];
}
