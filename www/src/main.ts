/**
 * Wires the page together: drop zone → engine (worker) → file list, and
 * report controls / configuration → engine → report view.
 */
import "./style.css";
import { renderBudgetEditor } from "./budget-editor";
import { ConfigEditor } from "./config-editor";
import { mountConfigFile } from "./config-file";
import { Configuration, configText, layered, layerOf, readConfig, type ConfigObject } from "./configuration";
import { fetchShippedConfig, mountDeploymentData } from "./deployment";
import { mountDropZone } from "./dropzone";
import { EngineAlert } from "./engine-alert";
import { mountExports } from "./export";
import { currencyOf, useCurrency } from "./format";
import { FileListView } from "./file-list";
import { FileSet } from "./files";
import { ReportControls } from "./report-controls";
import { DEFAULT_CHOICE, loadChoice, loadConfigText, saveChoice, saveConfigText, toRequest, type Choice } from "./report-options";
import { ReportView } from "./report-view";
import { fetchManifest, fetchSampleFile } from "./sample";
import { armTestHooks, reportHook } from "./test-hooks";
import { refusal } from "./read-file";
import type { KpiDefinition, ResultDoc } from "./types";
import { Engine, EngineError } from "./worker-client";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

const status = byId<HTMLElement>("status");
const sampleButton = byId<HTMLButtonElement>("sample");
const clearButton = byId<HTMLButtonElement>("clear");

/** Every file the user added, and which of them the engine holds. */
const files = new FileSet();

const engineAlert = new EngineAlert(byId("engine-alert"));
const engine = new Engine(() => files.held(), {
  // The worker trapped: the files it held are read again (see recovered()).
  restarting: (names) => {
    announce(`The engine stopped and was restarted; reading ${names.length} ${names.length === 1 ? "file" : "files"} again…`);
    for (const name of names) files.showReading(name);
  },
  progress: (name, fraction) => list.setProgress(name, fraction),
});

if (__KPIDASH_TEST_HOOKS__) armTestHooks(engine, location.search);

const list = new FileListView(byId("files"), files, {
  onRemove: (name) => {
    files.remove(name);
    void engine.remove(name).catch(() => undefined);
    announce(`Removed ${name}.`);
    filesChanged();
  },
  onKindChange: (name, kind) => {
    const entry = files.get(name);
    if (entry) void loadOne(name, entry.blob, kind).then(filesChanged);
  },
  // The mapping editor: drafts from the engine, saved as files[name] in the configuration.
  mapping: (entry) => ({
    draft: (kind, columns, dateRange) => engine.draft(entry.name, entry.blob, kind, columns, dateRange),
    save: async (setting) => {
      await configuration.edit((config) => {
        const all = (config.files ?? {}) as Record<string, unknown>;
        all[entry.name] = setting;
        config.files = all;
      }, false);
      await loadOne(entry.name, entry.blob, null);
      filesChanged();
    },
  }),
});

// ---- the report -------------------------------------------------------------

let choice = loadChoice();
const reportBusy = byId<HTMLElement>("report-busy");

/** The configuration in force: the editor's "Apply" and the review's edits
 * (targets, owners, action items) both change it. This browser keeps the
 * user's layer over the shipped defaults (configuration.ts). */
const savedConfig = loadConfigText();
let shipped: ConfigObject = {};
const saveLayer = (json: string) => saveConfigText(configText(layerOf(shipped, readConfig(json, "the configuration"))));
const configuration = new Configuration(savedConfig, async (json, recompute) => {
  await engine.setConfig(json);
  saveLayer(json);
  editor.setText(json);
  if (recompute) requestReport();
});
configuration.onChange(() => report.refreshActions());

/** The KPI definitions in force, read once per configuration. */
let catalog: Promise<KpiDefinition[]> | null = null;
configuration.onChange(() => (catalog = null));

const report = new ReportView(byId("report"), reportBusy, {
  onTrySample: () => void trySample(),
  choose: (change) => controls.choose(change),
  configuration,
  catalog: () => (catalog ??= engine.catalog()),
  breakdowns: () => controls.breakdowns(),
});
const controls = new ReportControls(byId("report-controls"), choice, (next) => {
  choice = next;
  saveChoice(choice);
  requestReport();
});

/** Bumped per request: an answer to an older request is not shown. */
let generation = 0;
/** Whether the engine takes the `period` option (engines before the review
 * refuse it as an unknown field; the period chooser then stays off). */
let periodOption = true;

function reportOf(options: Choice): Promise<ResultDoc> {
  return engine.report(toRequest(options, periodOption)).catch((err: unknown) => {
    if (periodOption && err instanceof EngineError && !err.fatal && /unknown field `period`/.test(err.message)) {
      periodOption = false;
      return engine.report(toRequest(options, false));
    }
    throw err;
  });
}

function requestReport(): void {
  const mine = ++generation;
  if (files.loaded().length === 0) {
    report.empty();
    return;
  }
  report.setBusy(true);
  reportOf(choice).then(
    (answer) => {
      if (mine !== generation) return;
      const doc = __KPIDASH_TEST_HOOKS__ ? reportHook(answer) : answer;
      useCurrency(currencyOf(doc));
      report.render(doc, choice);
      controls.setPeriods(doc.review && periodOption ? doc.review.periods : null);
      mountExports(byId("report"), doc, engine, toRequest(choice, periodOption));
    },
    (err) => {
      if (err instanceof EngineError && err.fatal) {
        // The files are loaded again, but the report is not computed again
        // on its own: it would most likely run out of memory again.
        recovered(err, "computing the report", true);
        updateDimensions();
        if (mine === generation) report.failed(trapText(err), requestReport);
      } else if (mine === generation && choice.period !== "" && /^period '/.test(errorText(err))) {
        // A review period kept from other files: back to the latest one.
        announce(`The review period ${choice.period} is not one of these files' periods; the latest complete period is shown.`);
        controls.choose({ period: "" });
      } else if (mine === generation) {
        report.failed(errorText(err));
      }
    },
  );
}

function updateDimensions(): void {
  if (files.loaded().length === 0) {
    controls.setDimensions({ recognised: [], other: [] });
    return;
  }
  engine.dimensionChoices().then(
    (choices) => controls.setDimensions(choices),
    () => undefined,
  );
}

/** Files were added, removed or re-kinded: new breakdowns, new report. */
function filesChanged(): void {
  updateDimensions();
  updateBudgetEditor();
  requestReport();
}

/** After the engine trapped and was restarted: the file list shows what it
 * holds again, and a notice says what happened and what to do. */
function recovered(err: EngineError, doing: string, afterReport = false): void {
  for (const info of err.restored?.files ?? []) files.loadedAs(info);
  for (const { name, error } of err.restored?.lost ?? []) files.failed(name, `not loaded again after the engine restarted: ${error}`);
  const n = err.restored?.files.length ?? 0;
  announce(`The engine was restarted; ${n} ${n === 1 ? "file" : "files"} loaded again.`);
  engineAlert.show(doing, err, afterReport);
}

/** A trap, in a sentence for the place it happened (the notice says more). */
function trapText(err: EngineError): string {
  return err.outOfMemory
    ? "the browser ran out of memory for this data (see the message above)."
    : `the engine stopped (${err.message}); see the message above.`;
}


/** Applies a configuration text from the editor or the budget editor: the
 * engine checks it, this browser keeps it, and the files are read again
 * (mappings apply when a file is read). */
async function applyConfig(json: string): Promise<void> {
  await engine.setConfig(json);
  saveLayer(json);
  configuration.replaced(json);
  const all = files.all();
  if (all.length > 0) await loadAll(all.map(({ name, blob, kind }) => ({ name, blob, kind })));
  else requestReport();
}

const editor = new ConfigEditor(byId("config"), savedConfig, applyConfig, () => engine.configJson());
mountConfigFile(byId("config").querySelector("details") ?? byId("config"), {
  text: () => configuration.text,
  apply: async (json) => {
    await applyConfig(json);
    editor.setText(json);
  },
  defaults: () => JSON.stringify(shipped),
});

/** The shipped defaults with the user's saved layer over them, in force. */
const configReady: Promise<void> = (async () => {
  try {
    shipped = await fetchShippedConfig();
  } catch (err) {
    editor.showError(`The shipped defaults were not applied: ${errorText(err)}`);
  }
  try {
    const text = configText(layered(shipped, readConfig(savedConfig, "the saved configuration")));
    if (text === configText({})) return;
    await engine.setConfig(text);
    configuration.replaced(text);
    editor.setText(text);
  } catch (err) {
    editor.showError(`The saved configuration was not applied: ${errorText(err)}`);
  }
})();

// The budget typed in the page, below the configuration, while no budget file is loaded.
const budgetSlot = document.createElement("div");
byId("config").after(budgetSlot);
let budgetFileShown: boolean | null = null;
function updateBudgetEditor(): void {
  const budgetFileLoaded = files.loaded().some((f) => f.kind === "budget");
  if (budgetFileLoaded === budgetFileShown) return;
  budgetFileShown = budgetFileLoaded;
  const save = async (json: string) => {
    await applyConfig(json);
    editor.setText(json);
  };
  renderBudgetEditor(budgetSlot, () => configuration.text, save, { budgetFileLoaded });
}
updateBudgetEditor();

function announce(message: string): void {
  status.textContent = message;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Loads one file; resolves to whether it loaded, or to the trap it caused. */
async function loadOne(name: string, blob: Blob, kind: string | null): Promise<boolean | EngineError> {
  // From here the engine's earlier version of the file (if any) no longer
  // counts: a restart after a trap does not load it again.
  const had = files.reading(name, blob, kind);
  const refused = refusal(name, blob.size);
  if (refused) {
    // An earlier version of the file must not stay in the report.
    if (had) void engine.remove(name).catch(() => undefined);
    files.failed(name, refused);
    return false;
  }
  await configReady;
  try {
    const info = await engine.load(name, blob, kind, (fraction) => list.setProgress(name, fraction));
    files.loadedAs(info);
    return true;
  } catch (err) {
    if (err instanceof EngineError && err.fatal) {
      // The engine was restarted without this file (worker-client.ts).
      files.failed(name, trapText(err));
      recovered(err, `loading ${name}`);
      return err;
    }
    files.failed(name, errorText(err));
    // The engine keeps the earlier version of a file it fails to load again
    // (say, with another kind): the report must not use it.
    if (had) void engine.remove(name).catch(() => undefined);
    return false;
  }
}

async function loadAll(items: { name: string; blob: Blob; kind: string | null }[]): Promise<void> {
  announce(`Reading ${items.length} ${items.length === 1 ? "file" : "files"}…`);
  let failed = 0;
  let outOfMemoryOn: string | null = null;
  for (const item of items) {
    if (outOfMemoryOn !== null) {
      // The next files would most likely run out of memory too, each time
      // after every earlier file is read again: they are not tried.
      if (files.reading(item.name, item.blob, item.kind)) void engine.remove(item.name).catch(() => undefined);
      files.failed(item.name, `not read: the browser ran out of memory while loading ${outOfMemoryOn} (see the message above)`);
      failed++;
      continue;
    }
    const outcome = await loadOne(item.name, item.blob, item.kind);
    if (outcome !== true) failed++;
    if (outcome instanceof EngineError && outcome.outOfMemory) outOfMemoryOn = item.name;
  }
  const ok = items.length - failed;
  announce(failed === 0 ? `Loaded ${ok} ${ok === 1 ? "file" : "files"}.` : `Loaded ${ok}, ${failed} could not be read.`);
  filesChanged();
}

mountDropZone(byId("dropzone"), byId<HTMLInputElement>("picker"), (files) => {
  void loadAll(files.map((f) => ({ name: f.name, blob: f, kind: null })));
});

byId<HTMLButtonElement>("choose").addEventListener("click", () => byId<HTMLInputElement>("picker").click());

sampleButton.addEventListener("click", () => void trySample());
void mountDeploymentData(sampleButton, loadAll, announce);

async function trySample(): Promise<void> {
  sampleButton.disabled = true;
  try {
    const manifest = await fetchManifest();
    const items = await Promise.all(
      // No kind given: the sample shows kind detection at work.
      manifest.files.map(async (f) => ({ name: f.file, blob: await fetchSampleFile(f), kind: null })),
    );
    await loadAll(items);
  } catch (err) {
    announce(`Could not load the sample data: ${errorText(err)}`);
  } finally {
    sampleButton.disabled = false;
  }
}

clearButton.addEventListener("click", () => {
  files.clear();
  engineAlert.hide();
  void engine.clear().catch(() => undefined);
  announce("Cleared all files.");
  filesChanged();
});

// The engine's kinds, grains and breakdowns fill the menus; the version
// shown in the footer says the engine is ready.
Promise.all([engine.vocabulary(), engine.version()]).then(
  ([vocabulary, v]) => {
    list.setKinds(vocabulary.kinds.map((k) => k.name));
    if (!vocabulary.grains.includes(choice.grain)) choice = { ...choice, grain: DEFAULT_CHOICE.grain };
    controls.setVocabulary(vocabulary, choice);
    byId("version").textContent = `kpidash ${v}`;
  },
  (err) => announce(`The engine did not start: ${errorText(err)}`),
);
