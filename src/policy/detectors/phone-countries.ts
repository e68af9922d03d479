// Which national numbering plans the phone detector tries for numbers written without "+", and a cheap
// pre-check from libphonenumber's own max metadata (lengths, then the per-type patterns: fixed line,
// mobile, toll-free, …) so the full validation, which costs ~13 µs a call, runs only for numbers that
// will almost surely pass it. Number-heavy text (dates with times, prices, IDs) reaches this often.
import metadataJson from "libphonenumber-js/metadata.max.json";
import type { CountryCode } from "libphonenumber-js/max";

export const NATIONAL_COUNTRIES = ["CN", "JP", "KR", "SG", "IN", "TH", "VN", "ID", "MY", "PH", "TW", "HK", "US", "GB", "DE", "FR"] as const satisfies readonly CountryCode[];

interface Plan {
  country: CountryCode;
  trunk: string;
  /** Leading digits a number written without the trunk prefix may start with (mobiles in CN and IN). */
  bare: RegExp | undefined;
  lengths: ReadonlySet<number>;
  general: RegExp;
  types: readonly RegExp[];
}

// Where people write national numbers without the trunk prefix. Countries missing here need the "0".
const BARE: Partial<Record<CountryCode, RegExp>> = { CN: /^1[3-9]\d{9}$/, IN: /^[6-9]\d{9}$/, US: /^[2-9]\d{9}$/, SG: /^[3689]/, HK: /^[2-9]/ };

type CountryRow = [string, unknown, string, number[], unknown, string | 0 | undefined, unknown, unknown, unknown, unknown, unknown, unknown[] | undefined];
const countries = (metadataJson as unknown as { countries: Record<string, CountryRow> }).countries;

export const PLANS: readonly Plan[] = NATIONAL_COUNTRIES.map((country) => {
  const row = countries[country]!;
  return {
    country,
    trunk: typeof row[5] === "string" ? row[5] : "",
    bare: BARE[country],
    lengths: new Set(row[3]),
    general: new RegExp(`^(?:${row[2]})$`),
    // Entries are [pattern, lengths?] per number type, 0 for a type the country lacks; a missing pattern
    // means "same as fixed line" (US, CA), which is already in the list.
    types: (row[11] ?? []).flatMap((t) => (Array.isArray(t) && typeof t[0] === "string" ? [new RegExp(`^(?:${t[0]})$`)] : [])),
  };
});

/** The national significant number if `digits` could be a number of this plan as written, else undefined. */
export function nationalNumber(plan: Plan, digits: string): string | undefined {
  let nsn: string | undefined;
  if (plan.trunk !== "" && digits.startsWith(plan.trunk) && (plan.trunk !== "1" || digits.length === 11)) nsn = digits.slice(plan.trunk.length);
  else if (plan.bare !== undefined && plan.bare.test(digits)) nsn = digits;
  if (nsn === undefined || !plan.lengths.has(nsn.length) || !plan.general.test(nsn)) return undefined;
  return plan.types.some((t) => t.test(nsn!)) ? nsn : undefined;
}
