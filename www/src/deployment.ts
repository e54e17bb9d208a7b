/**
 * What a deployment ships beside the page (docs/hosting.md): default
 * settings in `kpidash.config.json`, and the team's data listed in
 * `data/manifest.json`, loaded with one click. Both are optional and read
 * from the page's own server, relative to the page.
 */
import { readConfig, type ConfigObject } from "./configuration";
import { readManifest } from "./data-manifest";
import { h } from "./dom";

/** The shipped defaults (`{}` when there is no kpidash.config.json); a
 * broken or newer file throws, naming it. */
export async function fetchShippedConfig(): Promise<ConfigObject> {
  // The offline single file opened from disk cannot fetch files beside it.
  if (location.protocol === "file:") return {};
  const url = new URL("kpidash.config.json", document.baseURI);
  const response = await fetch(url);
  if (response.status === 404) return {};
  if (!response.ok) throw new Error(`kpidash.config.json: HTTP ${response.status}`);
  return readConfig(await response.text(), "kpidash.config.json");
}

/**
 * When the server's `data/manifest.json` lists files, a button after
 * `beside` loads them; nothing shows otherwise. The build ships the manifest
 * with no files, so a server without team data answers no 404.
 */
export async function mountDeploymentData(beside: HTMLElement, load: (items: { name: string; blob: Blob; kind: string | null }[]) => Promise<void>, announce: (text: string) => void): Promise<void> {
  if (location.protocol === "file:") return;
  const url = new URL("data/manifest.json", document.baseURI);
  const listed = await readManifest(url).catch(() => null);
  if (!listed || listed.manifest.files.length === 0) return;
  const button = h("button", { type: "button", id: "deployment-data" }, "Load the team's data");
  beside.after(button);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const { manifest, urls } = await readManifest(url);
      const blobs = await Promise.all(
        urls.map(async (u) => {
          const r = await fetch(u);
          if (!r.ok) throw new Error(`${u.pathname}: HTTP ${r.status}`);
          return await r.blob();
        }),
      );
      await load(manifest.files.map((f, i) => ({ name: f.file.split("/").pop() ?? f.file, blob: blobs[i] as Blob, kind: f.kind ?? null })));
    } catch (err) {
      announce(`Could not load the team's data: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      button.disabled = false;
    }
  });
  if (listed.manifest.description) button.title = listed.manifest.description;
}
