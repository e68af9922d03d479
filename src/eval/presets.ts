// Canonical raw URLs of the public datasets, used when no --data is given. `{lang}` and `{split}` are filled
// per language. Pinned to the branches the upstream READMEs point at.

export interface DatasetPreset {
  url: string;
  /** Languages the upstream publishes. */
  langs: string[];
  /** File names tried, in order, inside a local directory or under a base URL given as --data. */
  files: string[];
}

export const PRESETS = {
  /** google-research/url-nlp, CC BY 4.0. */
  mgsm: {
    url: "https://raw.githubusercontent.com/google-research/url-nlp/main/mgsm/mgsm_{lang}.tsv",
    langs: ["bn", "de", "en", "es", "fr", "ja", "ru", "sw", "te", "th", "zh"],
    files: ["mgsm_{lang}.tsv", "mgsm/mgsm_{lang}.tsv"],
  },
  /** cambridgeltl/xcopa, CC BY 4.0. */
  xcopa: {
    url: "https://raw.githubusercontent.com/cambridgeltl/xcopa/master/data/{lang}/{split}.{lang}.jsonl",
    langs: ["et", "ht", "id", "it", "qu", "sw", "ta", "th", "tr", "vi", "zh"],
    files: ["{split}.{lang}.jsonl", "{lang}/{split}.{lang}.jsonl", "xcopa/{split}.{lang}.jsonl", "data/{lang}/{split}.{lang}.jsonl"],
  },
} as const satisfies Record<string, DatasetPreset>;
