export { resolveModelFile, expectedModelPath, modelsDir } from "./resolve-model-file.js";
export { parseModelSource, hfEndpointFrom, DEFAULT_HF_ENDPOINT, type ModelSourceSpec } from "./model-source.js";
export { readLockFile, lockFilePath, LOCK_FILE_NAME, type LockEntry, type LockFile } from "./lock-file.js";
export type { PullProgress, ResolveModelFileOptions, ResolvedModelFile, ModelSourceEntry, ModelSourceLookup, VerifiedBy } from "./types.js";
export { formatBytes, formatDuration, formatProgressLine } from "./format-progress.js";
