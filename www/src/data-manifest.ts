/**
 * A data manifest: a JSON list of files on the page's own server that load
 * together with one click (the page's "Load … data" button for a
 * deployment's `data/manifest.json`, docs/hosting.md) or into an embedded
 * widget (`<kpi-dash manifest>`). The bundled sample's `sample/manifest.json`
 * has the same form. File names are relative to the manifest.
 */
export interface DataManifest {
  /** One line saying what the data is. */
  description?: string;
  files: { file: string; kind?: string | null }[];
}

/** The manifest at `url` and its files' URLs; throws with a sentence naming the manifest. */
export async function readManifest(url: URL): Promise<{ manifest: DataManifest; urls: URL[] }> {
  if (url.origin !== location.origin) throw new Error(`${url.href}: a data manifest must be on this page's own server`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  let manifest: unknown;
  try {
    manifest = await response.json();
  } catch {
    throw new Error(`${url.pathname} is not JSON`);
  }
  const files = (manifest as DataManifest | null)?.files;
  if (!Array.isArray(files) || files.some((f) => typeof f?.file !== "string" || f.file === "")) {
    throw new Error(`${url.pathname} is not a data manifest: it needs "files": [{ "file": "name.csv" }, …]`);
  }
  const urls = files.map((f) => new URL(f.file, url));
  const foreign = urls.find((u) => u.origin !== location.origin);
  if (foreign) throw new Error(`${url.pathname}: ${foreign.href} is not on this page's own server`);
  return { manifest: manifest as DataManifest, urls };
}
