/**
 * The report's options (cadence, grain, breakdown, review period, as-of
 * date, time zone) and the
 * user's configuration text, kept in localStorage so nothing the user chose
 * is lost on reload. No DOM here.
 */
import type { ReportOptions } from "./types";

export interface Choice {
  /** One of the engine's grains (the page checks a saved one when they arrive). */
  grain: string;
  /** Empty for no breakdown. */
  by: string;
  /** `YYYY-MM-DD`, empty for the data's as-of. */
  asOf: string;
  /** `±HH:MM`. */
  tz: string;
  /** The cadence whose grain and breakdown these are (cadence.ts), or
   * empty once either was chosen on its own. */
  cadence: string;
  /** The review period's label at the grain (`2026-05`), empty for the
   * engine's default (the latest complete period). */
  period: string;
}

export const DEFAULT_CHOICE: Choice = { grain: "month", by: "", asOf: "", tz: "+00:00", cadence: "", period: "" };

const OPTIONS_KEY = "kpidash.report-options";
const CONFIG_KEY = "kpidash.config";

/** Every whole, half and quarter hour offset in use, −12:00 … +14:00. */
export function timeZoneOffsets(): string[] {
  const minutes = [-720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -120, -60, 0,
    60, 120, 180, 210, 240, 270, 300, 330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630, 660, 720, 765, 780, 840];
  return minutes.map(formatOffset);
}

export function formatOffset(total: number): string {
  const sign = total < 0 ? "-" : "+";
  const abs = Math.abs(total);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${sign}${hh}:${mm}`;
}

/** The engine's request for a choice. `period` is left out when the
 * engine does not know the option (`withPeriod` false, see main.ts) or
 * the default period is asked for. */
export function toRequest(choice: Choice, withPeriod = true): ReportOptions {
  const options: ReportOptions = {
    grain: choice.grain,
    by: choice.by === "" ? null : choice.by,
    asOf: choice.asOf === "" ? null : choice.asOf,
    tz: choice.tz,
  };
  if (withPeriod && choice.period !== "") options.period = choice.period;
  return options;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (private mode, file:// in some browsers)
  }
}

export function loadChoice(): Choice {
  try {
    const saved = JSON.parse(storage()?.getItem(OPTIONS_KEY) ?? "null") as Partial<Choice> | null;
    if (!saved || typeof saved !== "object") return { ...DEFAULT_CHOICE };
    const pick = (v: unknown, fallback: string) => (typeof v === "string" ? v : fallback);
    return {
      grain: pick(saved.grain, DEFAULT_CHOICE.grain),
      by: pick(saved.by, ""),
      asOf: /^\d{4}-\d{2}-\d{2}$/.test(pick(saved.asOf, "")) ? (saved.asOf as string) : "",
      tz: /^[+-]\d{2}:\d{2}$/.test(pick(saved.tz, "")) ? (saved.tz as string) : DEFAULT_CHOICE.tz,
      cadence: pick(saved.cadence, ""),
      period: pick(saved.period, ""),
    };
  } catch {
    return { ...DEFAULT_CHOICE };
  }
}

export function saveChoice(choice: Choice): void {
  try {
    storage()?.setItem(OPTIONS_KEY, JSON.stringify(choice));
  } catch {
    /* quota or disabled storage: the choice still applies to this visit */
  }
}

export function loadConfigText(): string {
  return storage()?.getItem(CONFIG_KEY) ?? "{}";
}

export function saveConfigText(text: string): void {
  try {
    storage()?.setItem(CONFIG_KEY, text);
  } catch {
    /* see saveChoice */
  }
}
