// Public shapes of the model store: what a caller passes in and what it gets back.

/** One progress report of a download, for the terminal line and for the console's event stream. */
export interface PullProgress {
  /** The source as given (catalog name, hf: URI or URL). */
  source: string;
  /** The URL being fetched (before redirects). */
  url: string;
  /** The final path the file will have once complete. */
  path: string;
  phase: "connecting" | "downloading" | "verifying" | "done";
  /** Bytes of the file now on disk, including a resumed prefix. */
  bytes: number;
  /** Full size when the server told us, else null. */
  total: number | null;
  /** Bytes per second received in this session (a few seconds' window); 0 before the first sample. */
  rate: number;
  /** Seconds left at the current rate, or null when unknown. */
  etaSeconds: number | null;
  /** Bytes already on disk when this download started (a resumed `.partial`). */
  resumedFrom: number;
  /** True once the server ignored our Range request and the download started again from zero. */
  restarted: boolean;
}

/** What a catalog (or any other name table) says about a model name. Injected: the engine sits below the catalog. */
export interface ModelSourceEntry {
  /** An `hf:org/repo/file.gguf` URI or an http(s) URL. */
  source: string;
  sha256?: string;
  size?: number;
}

export type ModelSourceLookup = (name: string) => ModelSourceEntry | undefined;

export interface ResolveModelFileOptions {
  /** The gateway's data directory; files go to `<dataDir>/models/`, the lock to `<dataDir>/models.lock.json`. */
  dataDir: string;
  /** Download when the file is missing (pull-on-first-use); otherwise a missing file is an error. */
  pull: boolean;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
  /** Resolves bare names such as `qwen3-0.6b` (the catalog, wired by the caller). */
  lookup?: ModelSourceLookup;
  /** Hugging Face hub base URL; defaults to env `INHOUSE_HF_ENDPOINT`, then https://huggingface.co. */
  hfEndpoint?: string;
  /** Token for gated Hugging Face repositories; defaults to env `INHOUSE_HF_TOKEN`, then `HF_TOKEN`. Sent to the hub host only. */
  hfToken?: string;
  /** Environment to read `INHOUSE_HF_ENDPOINT` from (tests); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Until response headers arrive (connect + first byte). Default 20 s. */
  connectTimeoutMs?: number;
  /** Longest silence while the body streams. Default 60 s. */
  idleTimeoutMs?: number;
  /** Default 10. */
  maxRedirects?: number;
  /** Download attempts within one call; an interrupted transfer resumes from the bytes on disk. Default 4. */
  attempts?: number;
  /** Delay before the n-th retry is n × this. Default 500 ms. */
  retryDelayMs?: number;
}

export interface ResolvedModelFile {
  path: string;
  sha256: string;
  size: number;
  /** Canonical source (hf: URI, URL, or the absolute local path). */
  source: string;
  /** Catalog name when resolved from one, else the source. */
  name: string;
  /** What the sha256 was checked against when the file was recorded. */
  verifiedBy: VerifiedBy;
}

/** `hub`: the server's published sha256; `catalog`: the catalog's; `none`: nothing to check against. */
export type VerifiedBy = "hub" | "catalog" | "none";
