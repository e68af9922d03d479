// `inhouse <command>`: the top of the program. Each command parses its own flags and has --help.
import { ConfigError } from "../config/index.js";
import { serveCommand } from "./commands/serve.js";

type Command = { summary: string; run: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  serve: { summary: "run the gateway (default)", run: serveCommand },
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
    if (err instanceof ConfigError || (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`inhouse ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
