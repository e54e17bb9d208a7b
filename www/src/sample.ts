/**
 * The bundled sample dataset: fetched from the site's own `sample/` folder
 * (written by scripts/make_sample.py), listed in `sample/manifest.json`.
 */

export interface SampleFile {
  file: string;
  kind: string;
  rows: number;
  description: string;
}

export interface SampleManifest {
  description: string;
  files: SampleFile[];
}

/** Relative to the page, so the site works from any folder of any host. */
const BASE = new URL("sample/", document.baseURI);

export async function fetchManifest(): Promise<SampleManifest> {
  const response = await fetch(new URL("manifest.json", BASE));
  if (!response.ok) throw new Error(`sample/manifest.json: HTTP ${response.status}`);
  return (await response.json()) as SampleManifest;
}

export async function fetchSampleFile(file: SampleFile): Promise<Blob> {
  const response = await fetch(new URL(file.file, BASE));
  if (!response.ok) throw new Error(`sample/${file.file}: HTTP ${response.status}`);
  return await response.blob();
}
