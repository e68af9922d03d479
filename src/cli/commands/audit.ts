// inhouse audit verify|list: the hash-chained audit log.
import { COMMON_HELP, parse } from "../args.js";
import { configFrom, table, withStore } from "../open-config.js";

export const AUDIT_HELP = `Usage: inhouse audit <verify|list> [--action NAME] [--since TIME] [--limit N] [--json]

  verify   checks every record's hash and its link to the previous one; exit 1 when the chain is broken
  list     the newest records first

${COMMON_HELP}`;

export async function auditCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { action: { type: "string" }, since: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } });
  const sub = positionals[0];
  if (values.help || !sub) {
    process.stdout.write(`${AUDIT_HELP}\n`);
    return values.help ? 0 : 2;
  }
  return withStore(configFrom(values), async (store) => {
    if (sub === "verify") {
      const r = await store.audit.verify();
      if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else if (r.ok) process.stdout.write(`audit chain intact: ${r.checked} records verified\n`);
      else process.stdout.write(`audit chain BROKEN at record ${r.firstBadSeq}: ${r.reason ?? "hash mismatch"} (${r.checked} records checked)\n`);
      return r.ok ? 0 : 1;
    }
    if (sub === "list") {
      const rows = await store.audit.list({
        ...(values.action ? { action: values.action } : {}),
        ...(values.since ? { since: values.since } : {}),
        limit: values.limit ? Number(values.limit) : 50,
      });
      if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else process.stdout.write(`${table(rows.map((r) => ({ ...r, details: JSON.stringify(r.details) })), ["seq", "time", "actor", "action", "subject", "details"])}\n`);
      return 0;
    }
    process.stderr.write(`inhouse audit: unknown subcommand '${sub}'\n\n${AUDIT_HELP}\n`);
    return 2;
  });
}
