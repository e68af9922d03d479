import { loadConfig } from "../../config/index.js";
import { startServer } from "../../server/app.js";
import { createLogger } from "../../telemetry/logger.js";
import { ensureAdminKey } from "../admin-key.js";
import { COMMON_HELP, overridesFrom, parse } from "../args.js";
import { disposeEmbedded, embeddedFactory } from "../embedded.js";
import { buildGateway } from "../gateway.js";

export const SERVE_HELP = `Usage: inhouse serve [options]

Runs the gateway: the OpenAI-compatible API under /v1, /healthz, /readyz.
The first start without an admin key generates one into DATA_DIR/admin.key (mode 0600) and prints it once.

${COMMON_HELP}`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {});
  if (values.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  const config = loadConfig({ ...(values.config ? { file: values.config } : {}), overrides: overridesFrom(values) });
  const log = createLogger(config.log.level);
  const admin = ensureAdminKey(config.admin_key, config.data_dir);
  if (admin.generated) {
    process.stderr.write(`\nGenerated the admin key (kept in ${admin.path}, mode 0600; shown only this once):\n\n  ${admin.key}\n\n`);
  }
  const gateway = await buildGateway({ config, adminKey: admin.key, log, embedded: embeddedFactory() });
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer(gateway.deps);
  } catch (err) {
    // A taken port or an address that cannot be bound: close what buildGateway opened (Postgres, Redis,
    // timers), or those connections keep the process alive after the error is printed.
    await gateway.close();
    await disposeEmbedded();
    throw err;
  }
  log.info({ url: running.url, config: config.file ?? "defaults", backends: Object.keys(config.backends) }, "inhouse listening");

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, "second signal: exiting now");
        process.exit(1);
      }
      stopping = true;
      log.info({ signal, graceMs: config.server.shutdown_grace }, "shutting down: no new connections, finishing running requests");
      running
        .shutdown()
        .then(() => gateway.close())
        .then(() => disposeEmbedded())
        .then(
          () => {
            log.info("stopped");
            resolve(0);
          },
          (err: unknown) => {
            log.error({ err }, "error during shutdown");
            resolve(1);
          },
        );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
