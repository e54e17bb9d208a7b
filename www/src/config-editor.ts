/**
 * The configuration editor: a <details> with the configuration JSON
 * (mappings, KPI overrides, custom KPIs). "Apply" hands the text to the page,
 * which sends it to the engine; an error is shown here and the previous
 * configuration stays in force.
 */
import { h } from "./dom";

export class ConfigEditor {
  private readonly text: HTMLTextAreaElement;
  private readonly message: HTMLElement;
  private readonly apply: HTMLButtonElement;

  constructor(
    root: HTMLElement,
    initial: string,
    private readonly onApply: (json: string) => Promise<void>,
    private readonly onShowInForce: () => Promise<string>,
  ) {
    this.text = h("textarea", { id: "config-text", rows: 10, spellcheck: "false", autocomplete: "off", "aria-describedby": "config-help config-message" });
    this.text.value = initial;
    this.message = h("p", { id: "config-message", class: "config-message", "aria-live": "polite" });
    this.apply = h("button", { type: "button", class: "primary" }, "Apply configuration");
    this.apply.addEventListener("click", () => void this.submit());
    const show = h("button", { type: "button" }, "Show configuration in force");
    show.addEventListener("click", async () => {
      try {
        this.text.value = await this.onShowInForce();
        this.say("This is the configuration in force (with every default). Edit it and apply, or keep your own shorter text.", "info");
      } catch (err) {
        this.say(err instanceof Error ? err.message : String(err), "error");
      }
    });
    root.replaceChildren(
      h(
        "details",
        { class: "config" },
        h("summary", {}, "Configuration"),
        h(
          "p",
          { id: "config-help", class: "muted" },
          "JSON: column mappings, KPI overrides and custom KPIs (see docs/kpi-format.md). Files are read again with the new mappings. Saved in this browser only.",
        ),
        h("label", { for: "config-text", class: "visually-hidden" }, "Configuration JSON"),
        this.text,
        h("div", { class: "actions left" }, this.apply, show),
        this.message,
      ),
    );
  }

  /** Shows the configuration in force after an edit made elsewhere (a
   * target, an owner, an action item). */
  setText(text: string): void {
    this.text.value = text;
  }

  /** Shows an error (e.g. the saved configuration was refused at start). */
  showError(message: string): void {
    this.say(message, "error");
  }

  private say(text: string, tone: "error" | "ok" | "info"): void {
    this.message.textContent = text;
    this.message.className = `config-message ${tone}`;
    this.message.setAttribute("role", tone === "error" ? "alert" : "status");
  }

  private async submit(): Promise<void> {
    this.apply.disabled = true;
    try {
      await this.onApply(this.text.value);
      this.say("Applied.", "ok");
    } catch (err) {
      this.say(`Not applied — the previous configuration stays in force. ${err instanceof Error ? err.message : String(err)}`, "error");
    } finally {
      this.apply.disabled = false;
    }
  }
}
