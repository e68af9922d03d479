// inhouse keys create|list|revoke: virtual keys in the store. A key's secret is shown once, at creation.
import { createKeyInputSchema } from "../../store/index.js";
import { COMMON_HELP, parse, UsageError } from "../args.js";
import { configFrom, table, withStore } from "../open-config.js";

export const KEYS_HELP = `Usage: inhouse keys <create|list|revoke> [options]

  inhouse keys create --name NAME [--models a,b*] [--rpm N] [--tpm N] [--max-concurrent N]
                      [--budget-tokens N --budget-period day|week|month|total]
                      [--expires-at 2027-01-01T00:00:00Z] [--in-house-only]
  inhouse keys list [--all] [--json]      (--all includes revoked keys)
  inhouse keys revoke ID

The secret of a new key is printed once; only its hash is stored.

${COMMON_HELP}`;

const int = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} must be a whole number, got '${v}'`);
  return Number(v);
};

export async function keysCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    name: { type: "string" },
    models: { type: "string" },
    rpm: { type: "string" },
    tpm: { type: "string" },
    "max-concurrent": { type: "string" },
    "budget-tokens": { type: "string" },
    "budget-period": { type: "string" },
    "expires-at": { type: "string" },
    "in-house-only": { type: "boolean" },
    all: { type: "boolean" },
    json: { type: "boolean" },
  });
  const [sub, id] = positionals;
  if (values.help || !sub) {
    process.stdout.write(`${KEYS_HELP}\n`);
    return values.help ? 0 : 2;
  }
  const config = configFrom(values);
  return withStore(config, async (store) => {
    if (sub === "create") {
      const parsed = createKeyInputSchema.safeParse({
        name: values.name,
        models: values.models?.split(",").map((s) => s.trim()).filter(Boolean),
        rpm: int(values.rpm, "rpm"),
        tpm: int(values.tpm, "tpm"),
        max_concurrent: int(values["max-concurrent"], "max-concurrent"),
        budget_tokens: int(values["budget-tokens"], "budget-tokens"),
        budget_period: values["budget-period"],
        expires_at: values["expires-at"],
        in_house_only: values["in-house-only"] ?? false,
      });
      if (!parsed.success) {
        process.stderr.write(`inhouse keys create: ${parsed.error.issues.map((i) => `--${String(i.path[0] ?? "").replace(/_/g, "-")}: ${i.message}`).join("; ")}\n`);
        return 2;
      }
      const created = await store.createKey(parsed.data, "cli");
      if (values.json) process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
      else process.stdout.write(`Created key ${created.id} (${created.name}). Its secret, shown only this once:\n\n  ${created.key}\n\n`);
      return 0;
    }
    if (sub === "list") {
      const keys = await store.listKeys({ includeRevoked: values.all ?? false });
      if (values.json) process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
      else process.stdout.write(`${table(keys as unknown as Record<string, unknown>[], ["id", "name", "prefix", "models", "rpm", "tpm", "max_concurrent", "budget_tokens", "budget_period", "expires_at", "in_house_only", "revoked_at"])}\n`);
      return 0;
    }
    if (sub === "revoke") {
      if (!id) {
        process.stderr.write("inhouse keys revoke: give the key's id (see 'inhouse keys list')\n");
        return 2;
      }
      const revoked = await store.revokeKey(id, "cli");
      if (!revoked) {
        process.stderr.write(`inhouse keys revoke: no key with id '${id}'\n`);
        return 1;
      }
      process.stdout.write(`Revoked key ${revoked.id} (${revoked.name}).\n`);
      return 0;
    }
    process.stderr.write(`inhouse keys: unknown subcommand '${sub}'\n\n${KEYS_HELP}\n`);
    return 2;
  });
}
