// Public API of the policy layer: sensitive-data detection, decisions, pseudonymization and restore.
export { createPolicyEngine, policyViolation, type Inspection, type PolicyEngine, type RequestFinding } from "./engine.js";
export { decide, countKinds, policyRecord, type Decision, type DecisionRules, type PolicyRecord, type SensitiveAction } from "./decision.js";
export { createTargetFilter, filterTargets, type TargetMeta, type TargetVerdict } from "./model-filter.js";
export { PseudonymTable, type PseudonymEntries } from "./pseudonym-table.js";
export { MemoryVault, type MemoryVaultOptions, type Vault } from "./vault.js";
export { restoreText, TextRestorer, type RestoreMode } from "./restore.js";
export { createStreamRestorer, restoreResponse, type StreamRestorer } from "./response-restore.js";
export { BUILTIN_DETECTORS, BUILTIN_KINDS } from "./detectors/index.js";
export type { Category, Detector, Finding, Span } from "./types.js";
