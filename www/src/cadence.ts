/**
 * The review cadences: Weekly, Monthly and Quarterly meetings, each a grain,
 * a breakdown and the KPIs that lead its summary. One click sets all three
 * (report-controls.ts); the choice is kept with the report options. No DOM.
 */

/** A cadence's name, as kept in the report options. */
export type CadenceId = "weekly" | "monthly" | "quarterly";

export interface Cadence {
  id: CadenceId;
  /** The button's text. */
  label: string;
  grain: string;
  /** The breakdown; empty for totals. */
  by: string;
  /** What the meeting looks at, in one line. */
  focus: string;
  /** KPI ids shown first in the summary; the catalog's `top` KPIs follow. */
  lead: string[];
  /** The funnel KPIs (area `funnel`) lead. */
  leadFunnel: boolean;
  /** The pacing table leads (pacing.ts). */
  pacing: boolean;
}

export const CADENCES: Cadence[] = [
  {
    id: "weekly",
    label: "Weekly",
    grain: "week",
    by: "campaign",
    focus: "funnel metrics and campaign pacing",
    lead: [],
    leadFunnel: true,
    pacing: true,
  },
  {
    id: "monthly",
    label: "Monthly",
    grain: "month",
    by: "channel",
    focus: "channel performance: acquisition cost, return on ad spend, payback and pipeline",
    lead: ["customer_acquisition_cost", "roas", "cac_payback_months", "pipeline_to_spend"],
    leadFunnel: false,
    pacing: false,
  },
  {
    id: "quarterly",
    label: "Quarterly",
    grain: "quarter",
    by: "segment",
    focus: "strategic review: the top KPIs, the findings and what to do next",
    lead: [],
    leadFunnel: false,
    pacing: false,
  },
];

/** The cadence of that name, or null (options chosen one by one). */
export function cadenceOf(id: string): Cadence | null {
  return CADENCES.find((c) => c.id === id) ?? null;
}
