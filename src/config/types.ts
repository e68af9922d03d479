import type { ParsedConfig } from "./schema.js";

export interface Target {
  backend: string;
  model: string;
  weight: number;
}

type ParsedAlias = ParsedConfig["models"][string];
export type AliasConfig = Omit<ParsedAlias, "targets"> & { targets: Target[] };
export type BackendConfig = ParsedConfig["backends"][string];
export type { EmbeddedBackendConfig, RemoteBackendConfig } from "./schema.js";

/** The validated, frozen configuration every other module receives. */
export type Config = Omit<ParsedConfig, "models" | "backends"> & {
  /** The file it came from, or null when running on defaults. */
  file: string | null;
  backends: Record<string, BackendConfig>;
  models: Record<string, AliasConfig>;
};
