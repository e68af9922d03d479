// inhouse usage: requests and tokens by key, model or day, from the usage records.
import type { UsageGroupBy } from "../../store/index.js";
import { COMMON_HELP, parse } from "../args.js";
import { configFrom, table, withStore } from "../open-config.js";

export const USAGE_HELP = `Usage: inhouse usage [--group-by key|model|day] [--since 2026-11-01] [--until ...] [--json]

Requests and tokens from the usage records (default: by key, all time).

${COMMON_HELP}`;

export async function usageCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { "group-by": { type: "string" }, since: { type: "string" }, until: { type: "string" }, json: { type: "boolean" } });
  if (values.help) {
    process.stdout.write(`${USAGE_HELP}\n`);
    return 0;
  }
  const groupBy = (values["group-by"] ?? "key") as UsageGroupBy;
  if (!["key", "model", "day"].includes(groupBy)) {
    process.stderr.write(`inhouse usage: --group-by must be key, model or day\n`);
    return 2;
  }
  return withStore(configFrom(values), async (store) => {
    const { rows } = await store.usageSummary({
      group_by: groupBy,
      ...(values.since ? { since: values.since } : {}),
      ...(values.until ? { until: values.until } : {}),
    });
    const first = groupBy === "key" ? "key_id" : groupBy;
    if (values.json) process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
    else process.stdout.write(`${table(rows as unknown as Record<string, unknown>[], [first, "requests", "prompt_tokens", "completion_tokens"])}\n`);
    return 0;
  });
}
