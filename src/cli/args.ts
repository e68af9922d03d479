// Flags shared by every command, parsed with node:util (no dependency needed).
import { parseArgs, type ParseArgsConfig } from "node:util";

export const COMMON_OPTIONS = {
  config: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

export const COMMON_HELP = `Options:
  --config FILE     config file (default ./inhouse.yaml when present; env INHOUSE_CONFIG)
  --host HOST       listen address (default 127.0.0.1)
  --port PORT       listen port (default 8484; env INHOUSE_PORT)
  --data-dir DIR    data directory (default ./.inhouse; env INHOUSE_DATA_DIR)
  -h, --help        show this help`;

export function parse<O extends ParseArgsConfig["options"]>(argv: string[], options: O) {
  return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
}

export function overridesFrom(values: { host?: string | undefined; port?: string | undefined; "data-dir"?: string | undefined }) {
  return {
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
  };
}

/** A wrong flag value: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
