// `policy.models`: which targets a request may go to, by the catalog's origin and license of the model.
import type { ModelsRule } from "../config/policy-schema.js";

export interface TargetMeta {
  /** Origin of the model from the catalog (e.g. a country or publisher code); undefined when unknown. */
  origin?: string;
  license?: { id: string; commercial?: boolean };
  inHouse: boolean;
}

export type TargetVerdict = { allowed: true } | { allowed: false; rule: string };

const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));

/** Compiles the rule once; the returned function is called per candidate target. */
export function createTargetFilter(rule: Partial<ModelsRule> | undefined): (target: TargetMeta) => TargetVerdict {
  const allowOrigins = rule?.allow_origins === undefined ? undefined : lower(rule.allow_origins);
  const denyOrigins = lower(rule?.deny_origins ?? []);
  const allowLicenses = rule?.allow_licenses === undefined ? undefined : lower(rule.allow_licenses);
  return (target) => {
    const origin = target.origin?.toLowerCase();
    if (origin !== undefined && denyOrigins.has(origin)) return { allowed: false, rule: `policy.models.deny_origins: ${target.origin}` };
    if (allowOrigins !== undefined && (origin === undefined || !allowOrigins.has(origin))) {
      return { allowed: false, rule: `policy.models.allow_origins (origin ${target.origin ?? "unknown"})` };
    }
    if (allowLicenses !== undefined) {
      const id = target.license?.id.toLowerCase();
      const ok = (id !== undefined && allowLicenses.has(id)) || (allowLicenses.has("commercial") && target.license?.commercial === true);
      if (!ok) return { allowed: false, rule: `policy.models.allow_licenses (license ${target.license?.id ?? "unknown"})` };
    }
    return { allowed: true };
  };
}

export function filterTargets<T extends TargetMeta>(targets: readonly T[], rule: Partial<ModelsRule> | undefined): T[] {
  const verdict = createTargetFilter(rule);
  return targets.filter((t) => verdict(t).allowed);
}
