/**
 * The sample dataset inlined in the page (the offline, single-file build:
 * a file:// page cannot fetch files next to it). Same exports as sample.ts.
 */
import manifestText from "../public/sample/manifest.json?raw";
import type { SampleFile, SampleManifest } from "./sample";

const files = import.meta.glob<string>(["../public/sample/*", "!../public/sample/manifest.json"], {
  query: "?inline",
  import: "default",
  eager: true,
});

export async function fetchManifest(): Promise<SampleManifest> {
  return JSON.parse(manifestText) as SampleManifest;
}

export async function fetchSampleFile(file: SampleFile): Promise<Blob> {
  const dataUrl = files[`../public/sample/${file.file}`];
  if (!dataUrl) throw new Error(`sample/${file.file} is not in this page`);
  // Decoded here, not fetched: the offline page's policy allows no connection, data: URLs included.
  const comma = dataUrl.indexOf(",");
  const text = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new Blob([bytes], { type: dataUrl.slice(5, comma).replace(/;base64$/, "") });
}
