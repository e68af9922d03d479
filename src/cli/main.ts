// `inhouse <command>`: the top of the program. Each command parses its own flags and has --help.
import { ConfigError } from "../config/index.js";
import { UsageError } from "./args.js";

type Command = { summary: string; run: (argv: string[]) => Promise<number> };

// Each command's module is imported when it runs: `serve` then never loads the eval runner and reports,
// the doctor's checks, the model puller or the terminal chat, which it does not use.
const COMMANDS: Record<string, Command> = {
  serve: { summary: "run the gateway (default)", run: async (argv) => (await import("./commands/serve.js")).serveCommand(argv) },
  pull: { summary: "download a model (catalog name, hf:org/repo/file.gguf or URL)", run: async (argv) => (await import("./commands/model-commands.js")).pullCli(argv) },
  models: { summary: "list catalog and configured models with their state", run: async (argv) => (await import("./commands/model-commands.js")).modelsCli(argv) },
  chat: { summary: "chat with a model in the terminal", run: async (argv) => (await import("./commands/chat.js")).chatCommand(argv) },
  keys: { summary: "create, list and revoke virtual API keys", run: async (argv) => (await import("./commands/keys.js")).keysCommand(argv) },
  usage: { summary: "requests and tokens by key, model or day", run: async (argv) => (await import("./commands/usage.js")).usageCommand(argv) },
  audit: { summary: "verify or list the hash-chained audit log", run: async (argv) => (await import("./commands/audit.js")).auditCommand(argv) },
  eval: { summary: "evaluate models across languages and write a report", run: async (argv) => (await import("./commands/eval.js")).evalCli(argv) },
  doctor: {
    summary: "check this machine and config (Node, engine, memory, disk, port, database, Redis, backends)",
    run: async (argv) => (await import("./commands/doctor.js")).doctorCommand(argv),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `Usage: inhouse <command> [options]

A self-hosted gateway for open-weight language models.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join("\n")}

Run 'inhouse <command> --help' for a command's options.`;
}

export const COMMAND_NAMES = Object.keys(COMMANDS);

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    process.stdout.write(`${help()}\n`);
    return 0;
  }
  if (first === "--version" || first === "-v") {
    const { createRequire } = await import("node:module");
    process.stdout.write(`${(createRequire(import.meta.url)("../../package.json") as { version: string }).version}\n`);
    return 0;
  }
  const name = first === undefined || first.startsWith("-") ? "serve" : first;
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`inhouse: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  try {
    return await command.run(first === undefined || first.startsWith("-") ? argv : rest);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError || (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`inhouse ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
