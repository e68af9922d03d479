// `inhouse <command>`: the top of the program. Each command parses its own flags and has --help.
import { ConfigError } from "../config/index.js";
import { UsageError } from "./args.js";
import { auditCommand } from "./commands/audit.js";
import { chatCommand } from "./commands/chat.js";
import { doctorCommand } from "./commands/doctor.js";
import { evalCli } from "./commands/eval.js";
import { keysCommand } from "./commands/keys.js";
import { modelsCli, pullCli } from "./commands/model-commands.js";
import { serveCommand } from "./commands/serve.js";
import { usageCommand } from "./commands/usage.js";

type Command = { summary: string; run: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  serve: { summary: "run the gateway (default)", run: serveCommand },
  pull: { summary: "download a model (catalog name, hf:org/repo/file.gguf or URL)", run: pullCli },
  models: { summary: "list catalog and configured models with their state", run: modelsCli },
  chat: { summary: "chat with a model in the terminal", run: chatCommand },
  keys: { summary: "create, list and revoke virtual API keys", run: keysCommand },
  usage: { summary: "requests and tokens by key, model or day", run: usageCommand },
  audit: { summary: "verify or list the hash-chained audit log", run: auditCommand },
  eval: { summary: "evaluate models across languages and write a report", run: evalCli },
  doctor: { summary: "check this machine and config (Node, engine, memory, disk, port, database, Redis, backends)", run: doctorCommand },
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
