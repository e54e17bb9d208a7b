/**
 * The configuration as a file, in the configuration editor: export the
 * whole JSON in force, import one (an older version migrated, a newer or
 * broken one refused with the current configuration untouched), and reset
 * to the defaults shipped beside the page (configuration.ts, docs/hosting.md).
 */
import { configText, ConfigRefused, readConfig } from "./configuration";
import { h } from "./dom";

export interface ConfigFileHost {
  /** The configuration in force, as text. */
  text(): string;
  /** Applies a whole configuration (the engine may refuse it: it throws). */
  apply(text: string): Promise<void>;
  /** The shipped defaults' text, `{}` without any. */
  defaults(): string;
}

/** Adds the export, import and reset buttons to `parent`. */
export function mountConfigFile(parent: HTMLElement, host: ConfigFileHost): void {
  const message = h("p", { id: "config-file-message", class: "config-message", "aria-live": "polite" });
  const say = (text: string, tone: "ok" | "error") => {
    message.textContent = text;
    message.className = `config-message ${tone}`;
    message.setAttribute("role", tone === "error" ? "alert" : "status");
  };
  const exportButton = h("button", { type: "button", id: "config-export" }, "Export configuration");
  exportButton.addEventListener("click", () => {
    const blob = new Blob([configText(readConfig(host.text(), "the configuration in force")) + "\n"], { type: "application/json" });
    const a = h("a", { href: URL.createObjectURL(blob), download: "kpidash.config.json" });
    parent.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 0);
  });
  const picker = h("input", { type: "file", accept: ".json,application/json", class: "visually-hidden", tabindex: "-1", id: "config-import-file", "aria-label": "Configuration file to import" });
  const importButton = h("button", { type: "button", id: "config-import" }, "Import configuration…");
  importButton.addEventListener("click", () => picker.click());
  picker.addEventListener("change", async () => {
    const file = picker.files?.[0];
    picker.value = "";
    if (!file) return;
    try {
      const config = readConfig(await file.text(), file.name);
      await host.apply(configText(config));
      say(`Imported ${file.name}.`, "ok");
    } catch (err) {
      const why = err instanceof ConfigRefused ? err.message : `${file.name} was refused: ${err instanceof Error ? err.message : String(err)}`;
      say(`Not imported — the current configuration stays in force. ${why}`, "error");
    }
  });
  const resetButton = h("button", { type: "button", id: "config-reset", class: "quiet" }, "Reset to the defaults");
  resetButton.addEventListener("click", async () => {
    try {
      await host.apply(configText(readConfig(host.defaults(), "the shipped defaults")));
      say("Your changes were dropped; the defaults are in force.", "ok");
    } catch (err) {
      say(`Not reset: ${err instanceof Error ? err.message : String(err)}`, "error");
    }
  });
  parent.append(h("div", { class: "actions left" }, exportButton, importButton, resetButton, picker), message);
}
