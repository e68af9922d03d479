export { ConfigError, loadConfig, type LoadOptions, type Overrides } from "./load.js";
export { configSchema, type ParsedConfig, type RawConfig } from "./schema.js";
export type { AliasConfig, BackendConfig, Config, EmbeddedBackendConfig, RemoteBackendConfig, Target } from "./types.js";
