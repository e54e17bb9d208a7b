/**
 * The notice shown when the engine (the WASM instance) trapped and was
 * restarted: what was being done, why, what was kept, and what to do next.
 * Rendering only.
 */
import { h } from "./dom";
import type { EngineError } from "./worker-client";

export class EngineAlert {
  constructor(private readonly root: HTMLElement) {
    this.hide();
  }

  /** `doing`: what the engine was doing, e.g. "loading people.arrow". */
  show(doing: string, err: EngineError, afterReport = false): void {
    const restored = err.restored ?? { files: [], lost: [] };
    const n = restored.files.length;
    const kept = [
      "The engine was restarted; your configuration and report options are kept",
      n > 0 ? `, and the ${n === 1 ? "file" : `${n} files`} loaded before ${n === 1 ? "was" : "were"} loaded again.` : ".",
      restored.lost.length > 0 ? ` Not loaded again: ${restored.lost.map((l) => `${l.name} (${l.error})`).join(", ")}.` : "",
      afterReport ? " The report is not computed again on its own." : "",
    ].join("");
    const close = h("button", { type: "button", class: "quiet", "aria-label": "Dismiss this message" }, "Dismiss");
    close.addEventListener("click", () => this.hide());
    const body = err.outOfMemory
      ? [
          h("strong", {}, `The browser ran out of memory while ${doing}.`),
          ` This data is too large for a browser tab: the engine can use at most 4 GB here. ${kept} `,
          "To go on, remove some files, filter the export to fewer rows (a shorter period, fewer columns), or use the command line, which is not limited to 4 GB: ",
          h("code", {}, "kpidash report people=… spend=…"),
          ".",
        ]
      : [
          h("strong", {}, `The engine stopped unexpectedly while ${doing}`),
          ` (${err.message}). ${kept} If it happens again with these files, the command line (`,
          h("code", {}, "kpidash report"),
          ") reports what went wrong.",
        ];
    this.root.replaceChildren(h("p", { role: "alert" }, ...body), close);
    this.root.dataset.kind = err.outOfMemory ? "out-of-memory" : "trap";
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
    this.root.replaceChildren();
  }
}
