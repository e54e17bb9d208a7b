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
  return await (await fetch(dataUrl)).blob();
}
