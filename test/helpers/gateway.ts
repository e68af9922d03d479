// Starts a real gateway in-process on 127.0.0.1 (random port) from a YAML config, for integration suites.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embeddedFactory } from "../../src/cli/embedded.js";
import { buildGateway, type Gateway } from "../../src/cli/gateway.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { startServer } from "../../src/server/app.js";
import { createLogger } from "../../src/telemetry/logger.js";

export const ADMIN_KEY = "ih-admin-test-key-0123456789abcdef";

export interface TestGateway {
  url: string;
  /** Base URL for OpenAI clients (`${url}/v1`). */
  v1: string;
  config: Config;
  gateway: Gateway;
  close(): Promise<void>;
}

export async function startGateway(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "inhouse-gw-"));
  const file = join(dir, "inhouse.yaml");
  writeFileSync(file, `data_dir: ${dir}/data\nserver: { port: 0 }\nlog: { level: ${process.env.TEST_LOG_LEVEL ?? "silent"} }\n${yaml}`);
  const config = loadConfig({ file, env, cwd: dir });
  const log = createLogger(config.log.level);
  // Tests never build llama.cpp nor probe GPUs.
  const gateway = await buildGateway({ config, adminKey: ADMIN_KEY, log, embedded: embeddedFactory({ build: "never", gpu: false }) });
  const running = await startServer(gateway.deps);
  return {
    url: running.url,
    v1: `${running.url}/v1`,
    config,
    gateway,
    close: async () => {
      await running.shutdown(1000);
      await gateway.close();
    },
  };
}
