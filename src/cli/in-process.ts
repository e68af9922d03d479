// Runs the gateway inside a command (chat, eval) on an ephemeral loopback port, so the command takes the
// same path as any client: auth, policy, routing, usage.
import type { Config } from "../config/index.js";
import { startServer, type RunningServer } from "../server/app.js";
import { createLogger } from "../telemetry/logger.js";
import { ensureAdminKey } from "./admin-key.js";
import { buildGateway, type Gateway } from "./gateway.js";
import { embeddedFactory } from "./embedded.js";

export interface InProcessGateway {
  url: string;
  key: string;
  gateway: Gateway;
  close(): Promise<void>;
}

export async function startInProcess(config: Config, level = "warn"): Promise<InProcessGateway> {
  const log = createLogger(level);
  const admin = ensureAdminKey(config.admin_key, config.data_dir);
  const gateway = await buildGateway({ config: { ...config, server: { ...config.server, host: "127.0.0.1", port: 0 } }, adminKey: admin.key, log, embedded: embeddedFactory() });
  let running: RunningServer;
  try {
    running = await startServer(gateway.deps);
  } catch (err) {
    await gateway.close();
    throw err;
  }
  return {
    url: running.url,
    key: admin.key,
    gateway,
    close: async () => {
      await running.shutdown(2000);
      await gateway.close();
    },
  };
}
