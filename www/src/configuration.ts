/**
 * The user's configuration as one JSON text: the text the engine holds
 * (`setConfig`), the one saved in this browser (report-options.ts) and the
 * one the configuration editor shows. The review's edits — targets, owners,
 * action items — are changes to that text, applied the way the editor's
 * "Apply" applies one, so nothing keeps a second copy.
 *
 * Also the configuration as a file: its format `version` (older texts are
 * migrated, newer or broken ones refused before anything changes), and the
 * layers a deployment adds (docs/hosting.md): the defaults shipped beside
 * the page in `kpidash.config.json`, with the user's own changes kept as a
 * JSON merge patch (RFC 7396) over them, so that a reset drops the patch and
 * a new set of defaults reaches users who did not change those keys. No DOM.
 */
import type { Action } from "./types";

/** A configuration object, as parsed from its JSON text. */
export type ConfigObject = Record<string, unknown>;

export class Configuration {
  private listeners: ((text: string) => void)[] = [];
  /** Edits run one after the other, each on the text the last one left. */
  private queue: Promise<void> = Promise.resolve();

  /**
   * `apply` has the engine take a new text and keeps it (it throws, and
   * nothing changes, when the engine refuses it).
   */
  constructor(
    private current: string,
    private readonly apply: (json: string, recompute: boolean) => Promise<void>,
  ) {}

  /** The configuration in force, as the user's text. */
  get text(): string {
    return this.current;
  }

  /** The configuration in force; `{}` when its text is not an object. */
  object(): ConfigObject {
    try {
      const parsed: unknown = JSON.parse(this.current);
      return isObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }

  /** A text applied elsewhere (the editor) is now the one in force. */
  replaced(text: string): void {
    this.current = text;
    this.notify();
  }

  /** Called with the new text after every change. */
  onChange(listener: (text: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Changes the configuration: `change` edits a copy, the engine takes the
   * new text, and it becomes the one in force. `recompute` asks for a new
   * report (targets and owners change it; action items do not).
   */
  edit(change: (config: ConfigObject) => void, recompute = true): Promise<void> {
    const run = this.queue.then(async () => {
      const next = this.object();
      change(next);
      const text = configText(next);
      await this.apply(text, recompute);
      this.current = text;
      this.notify();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.current);
  }
}

function isObject(value: unknown): value is ConfigObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object under `key`, created when missing. */
function child(config: ConfigObject, key: string): ConfigObject {
  const existing = config[key];
  if (isObject(existing)) return existing;
  const made: ConfigObject = {};
  config[key] = made;
  return made;
}

/** The action items of a configuration (`actions`), as saved. */
export function actionsOf(config: ConfigObject): Action[] {
  const list = config.actions;
  if (!Array.isArray(list)) return [];
  return list.filter((a): a is Action => isObject(a) && typeof a.id === "string" && typeof a.text === "string");
}

/** Adds an action item, or replaces the one with its id. Empty optional
 * fields are left out, as the engine writes them. */
export function putAction(config: ConfigObject, action: Action): void {
  const clean: ConfigObject = { id: action.id, text: action.text };
  for (const key of ["owner", "due", "kpi", "finding"] as const) {
    const v = action[key];
    if (typeof v === "string" && v.trim() !== "") clean[key] = v.trim();
  }
  clean.status = action.status;
  if (action.created) clean.created = action.created;
  const list = actionsOf(config);
  const at = list.findIndex((a) => a.id === action.id);
  if (at >= 0) list[at] = clean as unknown as Action;
  else list.push(clean as unknown as Action);
  config.actions = list;
}

/** Removes the action item with that id. */
export function removeAction(config: ConfigObject, id: string): void {
  const list = actionsOf(config).filter((a) => a.id !== id);
  if (list.length > 0) config.actions = list;
  else delete config.actions;
}

/** An id no action item of `actions` has. */
export function newActionId(actions: Action[], now = Date.now()): string {
  const taken = new Set(actions.map((a) => a.id));
  for (let n = 0; ; n++) {
    const id = `a${now.toString(36)}${n === 0 ? "" : `-${n}`}`;
    if (!taken.has(id)) return id;
  }
}

/** The configured target of a KPI at a grain (`targets`), or null. */
export function targetOf(config: ConfigObject, kpi: string, grain: string): number | null {
  const targets = config.targets;
  if (!isObject(targets)) return null;
  const byGrain = targets[kpi];
  if (!isObject(byGrain)) return null;
  const t = byGrain[grain];
  return typeof t === "number" ? t : null;
}

/** Sets (or with null removes) a KPI's target at a grain. */
export function setTarget(config: ConfigObject, kpi: string, grain: string, target: number | null): void {
  const targets = child(config, "targets");
  const byGrain = child(targets, kpi);
  if (target === null) delete byGrain[grain];
  else byGrain[grain] = target;
  if (Object.keys(byGrain).length === 0) delete targets[kpi];
  if (Object.keys(targets).length === 0) delete config.targets;
}

/** The configured owner of a KPI (`kpis[id].owner`), or null. */
export function ownerOf(config: ConfigObject, kpi: string): string | null {
  const kpis = config.kpis;
  if (!isObject(kpis)) return null;
  const o = kpis[kpi];
  return isObject(o) && typeof o.owner === "string" ? o.owner : null;
}

/** Sets (or with null or empty text removes) a KPI's owner. */
export function setOwner(config: ConfigObject, kpi: string, owner: string | null): void {
  const kpis = child(config, "kpis");
  const override = child(kpis, kpi);
  if (owner === null || owner.trim() === "") delete override.owner;
  else override.owner = owner.trim();
  if (Object.keys(override).length === 0) delete kpis[kpi];
  if (Object.keys(kpis).length === 0) delete config.kpis;
}

/** The configuration format this page writes (`version`; the engine's
 * `CONFIG_VERSION`, src/config.rs). */
export const CONFIG_VERSION = 1;

/**
 * Each older version's step to the next, by the version it starts from.
 * Version 0 is a text written before versions existed: the same keys as
 * version 1, so its step only names the version.
 */
const MIGRATIONS: Record<number, (config: ConfigObject) => ConfigObject> = {
  0: (config) => config,
};

/** A configuration text that cannot be used, and why (in a sentence). */
export class ConfigRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigRefused";
  }
}

/**
 * Reads a whole configuration (an imported file, the shipped defaults, the
 * saved layer): parses it, migrates an older version to this one and
 * refuses a newer or broken one with a message naming `source`. The result
 * carries `version` first. The engine checks the keys themselves.
 */
export function readConfig(text: string, source: string): ConfigObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigRefused(`${source} is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(parsed)) throw new ConfigRefused(`${source} is not a configuration: it must be a JSON object`);
  const version = parsed.version ?? 0;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 0) {
    throw new ConfigRefused(`${source} has no valid version: ${JSON.stringify(parsed.version)} is not a whole number`);
  }
  if (version > CONFIG_VERSION) {
    throw new ConfigRefused(`${source} is configuration version ${version}, newer than this kpidash reads (version ${CONFIG_VERSION}); use the kpidash that wrote it, or a newer one`);
  }
  let config: ConfigObject = { ...parsed };
  delete config.version;
  for (let v = version; v < CONFIG_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new ConfigRefused(`${source} is configuration version ${v}, which this kpidash cannot migrate`);
    config = step(config);
  }
  return stamped(config);
}

/** The configuration with `version` first, as the page writes it. */
export function stamped(config: ConfigObject): ConfigObject {
  const rest = { ...config };
  delete rest.version;
  return { version: CONFIG_VERSION, ...rest };
}

/** The text of a configuration, as saved, shown and exported. */
export function configText(config: ConfigObject): string {
  return JSON.stringify(stamped(config), null, 2);
}

/**
 * `patch` applied to `base` as a JSON merge patch (RFC 7396): objects are
 * merged key by key, `null` removes a key, anything else replaces it
 * (arrays whole). One departure: a `null` for a key `base` does not have is
 * kept, since the configuration has meaningful nulls (`"top": null` makes a
 * KPI a diagnostic). Neither argument is changed.
 */
export function mergePatch(base: ConfigObject, patch: ConfigObject): ConfigObject {
  const out: ConfigObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null && key in out) delete out[key];
    else if (value === null) out[key] = null;
    else if (isObject(value)) out[key] = mergePatch(isObject(out[key]) ? (out[key] as ConfigObject) : {}, value);
    else out[key] = value;
  }
  return out;
}

/** The merge patch that turns `base` into `target`: `mergePatch(base,
 * diffPatch(base, target))` equals `target`. */
export function diffPatch(base: ConfigObject, target: ConfigObject): ConfigObject {
  const patch: ConfigObject = {};
  for (const key of Object.keys(base)) if (!(key in target)) patch[key] = null;
  for (const [key, value] of Object.entries(target)) {
    const was = base[key];
    if (isObject(value) && isObject(was)) {
      const inner = diffPatch(was, value);
      if (Object.keys(inner).length > 0) patch[key] = inner;
    } else if (JSON.stringify(value) !== JSON.stringify(was)) {
      // A null the defaults have a value for reads as "remove" (the
      // default then holds): the one case a patch cannot say.
      patch[key] = value;
    }
  }
  return patch;
}

/** The configuration in force: the user's layer over the shipped defaults. */
export function layered(shipped: ConfigObject, layer: ConfigObject): ConfigObject {
  const { version: _shipped, ...defaults } = shipped;
  const { version: _layer, ...changes } = layer;
  return stamped(mergePatch(defaults, changes));
}

/** The user's layer of a configuration in force: what differs from the
 * shipped defaults. */
export function layerOf(shipped: ConfigObject, inForce: ConfigObject): ConfigObject {
  const { version: _shipped, ...defaults } = shipped;
  const { version: _inForce, ...config } = inForce;
  return stamped(diffPatch(defaults, config));
}
