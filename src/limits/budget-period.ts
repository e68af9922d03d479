// Budget periods are calendar periods in UTC, so every replica (and the usage table) agrees on where a
// period starts without sharing state: day from 00:00, week from Monday 00:00, month from the 1st.
export const BUDGET_PERIODS = ["day", "week", "month", "total"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

const DAY_MS = 86_400_000;

/** Start of the period holding `now`, in ms since the epoch ("total" starts at 0). */
export function periodStart(period: BudgetPeriod, now: number): number {
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  switch (period) {
    case "day":
      return day;
    case "week":
      // 1970-01-01 was a Thursday: (getUTCDay() + 6) % 7 is days since Monday.
      return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
    case "month": {
      const d = new Date(now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
    case "total":
      return 0;
  }
}

/** End of the period holding `now` (exclusive); Infinity for "total". */
export function periodEnd(period: BudgetPeriod, now: number): number {
  switch (period) {
    case "day":
      return periodStart("day", now) + DAY_MS;
    case "week":
      return periodStart("week", now) + 7 * DAY_MS;
    case "month": {
      const d = new Date(now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    case "total":
      return Number.POSITIVE_INFINITY;
  }
}
