// Vendor API keys and tokens, as data: one row per vendor format, each a literal prefix (the trigger, cheap
// in the combined pre-filter) and the body that must follow. Order matters where prefixes nest (sk-ant-
// before sk-).
import { LEFT, RIGHT, stickyMatcher } from "../boundaries.js";
import type { Detector } from "../types.js";

interface KeyFormat {
  kind: string;
  /** Regex source of the literal prefix. */
  prefix: string;
  /** Character class of the prefix's first character. */
  first: string;
  body: string;
}

const FORMATS: readonly KeyFormat[] = [
  { kind: "anthropic_api_key", prefix: "sk-ant-", first: "[s]", body: "[A-Za-z0-9_-]{32,}" },
  // OpenAI (sk-, sk-proj-, sk-svcacct-) and the many vendors that copied its format (DeepSeek, OpenRouter…).
  { kind: "openai_api_key", prefix: "sk-", first: "[s]", body: "[A-Za-z0-9_-]{20,}" },
  { kind: "aws_access_key_id", prefix: "(?:AKIA|ASIA|ABIA|ACCA)", first: "[A]", body: "[A-Z2-7]{16}" },
  { kind: "github_token", prefix: "gh[pousr]_", first: "[g]", body: "[A-Za-z0-9]{36,}" },
  { kind: "github_token", prefix: "github_pat_", first: "[g]", body: "[A-Za-z0-9_]{40,}" },
  { kind: "gitlab_token", prefix: "gl(?:pat|dt|rt|ptt|ft|cbt|imt|oas|soat)-", first: "[g]", body: "[A-Za-z0-9_-]{20,}" },
  { kind: "slack_token", prefix: "xox[abposre]-", first: "[x]", body: "[A-Za-z0-9-]{10,}" },
  { kind: "slack_webhook", prefix: "https://hooks\\.slack\\.com/", first: "[h]", body: "(?:services|workflows)/[A-Za-z0-9/_-]{20,}" },
  { kind: "stripe_key", prefix: "(?:sk|rk)_(?:live|test)_", first: "[sr]", body: "[A-Za-z0-9]{16,}" },
  { kind: "stripe_key", prefix: "whsec_", first: "[w]", body: "[A-Za-z0-9]{24,}" },
  { kind: "google_api_key", prefix: "AIza", first: "[A]", body: "[0-9A-Za-z_-]{35}" },
  { kind: "huggingface_token", prefix: "hf_", first: "[h]", body: "[A-Za-z0-9]{30,}" },
  { kind: "npm_token", prefix: "npm_", first: "[n]", body: "[A-Za-z0-9]{36}" },
  { kind: "pypi_token", prefix: "pypi-", first: "[p]", body: "AgE[A-Za-z0-9_-]{50,}" },
  { kind: "groq_api_key", prefix: "gsk_", first: "[g]", body: "[A-Za-z0-9]{40,}" },
  { kind: "xai_api_key", prefix: "xai-", first: "[x]", body: "[A-Za-z0-9]{40,}" },
  { kind: "sendgrid_api_key", prefix: "SG\\.", first: "[S]", body: "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" },
];

export const apiKeyDetectors: readonly Detector[] = FORMATS.map((f) => ({
  kind: f.kind,
  category: "secret",
  label: "SECRET",
  trigger: { prefilter: f.prefix, first: f.first, guard: `${LEFT}${f.prefix}` },
  match: stickyMatcher(`${f.prefix}${f.body}${RIGHT}`),
}));
