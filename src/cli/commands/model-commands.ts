// Adapters from the CLI's argv to `inhouse pull` and `inhouse models` (which take their context explicitly).
import { UsageError } from "../args.js";
import { configFrom } from "../open-config.js";
import { modelsCommand } from "./models.js";
import { pullCommand } from "./pull.js";

/** Takes the common flags (--config, --data-dir...) out of argv; the command parses the rest. */
export function splitCommon(argv: string[]): { common: Parameters<typeof configFrom>[0]; rest: string[] } {
  const common: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--(config|host|port|data-dir)(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    common[m[1]!] = value;
  }
  return { common, rest };
}

export async function pullCli(argv: string[]): Promise<number> {
  const { common, rest } = splitCommon(argv);
  const config = configFrom(common);
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once("SIGINT", onSigint);
  try {
    return await pullCommand(rest, { dataDir: config.data_dir, stdout: process.stdout, stderr: process.stderr, signal: ac.signal });
  } finally {
    process.off("SIGINT", onSigint);
  }
}

export async function modelsCli(argv: string[]): Promise<number> {
  const { common, rest } = splitCommon(argv);
  const config = configFrom(common);
  const configuredModels = Object.entries(config.backends).flatMap(([backend, b]) =>
    b.type === "embedded" ? Object.entries(b.models).map(([name, m]) => ({ backend, name, source: m.source })) : [],
  );
  return modelsCommand(rest, { dataDir: config.data_dir, stdout: process.stdout, stderr: process.stderr, configuredModels });
}
