/** The result document's types under the name the shipped `kpi-dash.d.ts` imports them by. */
export type * from "../types";
