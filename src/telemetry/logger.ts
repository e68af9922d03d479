// Structured JSON logs (pino). Secrets never reach a log: the redact paths cover every place a key travels,
// and prompts are only logged when the operator turns `log.prompts` on.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: "inhouse" },
      redact: {
        paths: ["*.authorization", "*.Authorization", "*['x-api-key']", "*.api_key", "*.apiKey", "*.key", "*.admin_key", "*.password", "*.secret"],
        censor: "[redacted]",
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? process.stderr,
  );
}
