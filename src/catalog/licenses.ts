// License facts shared by many catalog entries. Summaries, not legal advice: `url` is the text that counts.
import type { CatalogLicense } from "./types.js";

export const APACHE_2: CatalogLicense = {
  id: "Apache-2.0",
  spdx: true,
  name: "Apache License 2.0",
  url: "https://www.apache.org/licenses/LICENSE-2.0",
  commercialUse: true,
  modification: true,
};

export const MIT: CatalogLicense = {
  id: "MIT",
  spdx: true,
  name: "MIT License",
  url: "https://opensource.org/license/mit",
  commercialUse: true,
  modification: true,
};

export const KIMI_MODIFIED_MIT: CatalogLicense = {
  id: "kimi-modified-mit",
  spdx: false,
  name: "Modified MIT License (Moonshot AI)",
  url: "https://huggingface.co/moonshotai/Kimi-K2-Instruct/blob/main/LICENSE",
  commercialUse: "conditional",
  modification: true,
  conditions:
    'Products with more than 100 million monthly active users or more than US$20 million monthly revenue must display "Kimi K2" prominently in their user interface.',
};

export const DEEPSEEK_MODEL_LICENSE: CatalogLicense = {
  id: "deepseek-license",
  spdx: false,
  name: "DeepSeek License Agreement (model); code under MIT",
  url: "https://github.com/deepseek-ai/DeepSeek-V3/blob/main/LICENSE-MODEL",
  commercialUse: "conditional",
  modification: true,
  conditions: "Commercial use allowed subject to the license's use-based restrictions (its Attachment A).",
};

export const QWEN_RESEARCH: CatalogLicense = {
  id: "qwen-research",
  spdx: false,
  name: "Qwen Research License Agreement",
  url: "https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE",
  commercialUse: false,
  modification: true,
  conditions: "Non-commercial research use only; commercial use needs a separate license from Alibaba Cloud.",
};

export const QWEN_LICENSE: CatalogLicense = {
  id: "qwen",
  spdx: false,
  name: "Qwen License Agreement",
  url: "https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE",
  commercialUse: "conditional",
  modification: true,
  conditions:
    'Commercial use allowed below 100 million monthly active users (above that, a license from Alibaba Cloud); derived models must say "Built with Qwen".',
};

function llama(version: string, url: string): CatalogLicense {
  return {
    id: `llama${version}`,
    spdx: false,
    name: `Llama ${version} Community License Agreement`,
    url,
    commercialUse: "conditional",
    modification: true,
    conditions:
      'Services with more than 700 million monthly active users need a license from Meta; the Acceptable Use Policy applies; redistributions must show "Built with Llama".',
  };
}

export const LLAMA_3_1 = llama("3.1", "https://www.llama.com/llama3_1/license/");
export const LLAMA_3_2 = llama("3.2", "https://www.llama.com/llama3_2/license/");
export const LLAMA_3_3 = llama("3.3", "https://www.llama.com/llama3_3/license/");

export const GEMMA: CatalogLicense = {
  id: "gemma",
  spdx: false,
  name: "Gemma Terms of Use",
  url: "https://ai.google.dev/gemma/terms",
  commercialUse: "conditional",
  modification: true,
  conditions: "Commercial use and modification allowed; the Gemma Prohibited Use Policy applies and must be passed on to users of derivatives.",
};
