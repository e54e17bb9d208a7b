/** Wires the page together: drop zone → engine (worker) → file list. */
import "./style.css";
import { mountDropZone } from "./dropzone";
import { FileListView } from "./file-list";
import { fetchManifest, fetchSampleFile } from "./sample";
import { Engine } from "./worker-client";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

const status = byId<HTMLElement>("status");
const sampleButton = byId<HTMLButtonElement>("sample");
const clearButton = byId<HTMLButtonElement>("clear");

const engine = new Engine();
/** The Blob behind each file name, to load again with another kind. */
const blobs = new Map<string, Blob>();

const list = new FileListView(byId("files"), {
  onRemove: (name) => {
    blobs.delete(name);
    list.remove(name);
    void engine.remove(name).catch(() => undefined);
    announce(`Removed ${name}.`);
  },
  onKindChange: (name, kind) => {
    const blob = blobs.get(name);
    if (blob) void loadOne(name, blob, kind);
  },
});

function announce(message: string): void {
  status.textContent = message;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function loadOne(name: string, blob: Blob, kind: string | null): Promise<boolean> {
  blobs.set(name, blob);
  list.setLoading(name, blob.size);
  try {
    const info = await engine.load(name, blob, kind);
    list.setLoaded(info, blob.size);
    return true;
  } catch (err) {
    list.setError(name, blob.size, errorText(err));
    return false;
  }
}

async function loadAll(items: { name: string; blob: Blob; kind: string | null }[]): Promise<void> {
  announce(`Reading ${items.length} ${items.length === 1 ? "file" : "files"}…`);
  let failed = 0;
  for (const item of items) {
    if (!(await loadOne(item.name, item.blob, item.kind))) failed++;
  }
  const ok = items.length - failed;
  announce(failed === 0 ? `Loaded ${ok} ${ok === 1 ? "file" : "files"}.` : `Loaded ${ok}, ${failed} could not be read.`);
}

mountDropZone(byId("dropzone"), byId<HTMLInputElement>("picker"), (files) => {
  void loadAll(files.map((f) => ({ name: f.name, blob: f, kind: null })));
});

byId<HTMLButtonElement>("choose").addEventListener("click", () => byId<HTMLInputElement>("picker").click());

sampleButton.addEventListener("click", async () => {
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
});

clearButton.addEventListener("click", () => {
  blobs.clear();
  list.clear();
  void engine.clear().catch(() => undefined);
  announce("Cleared all files.");
});

engine.version().then(
  (v) => (byId("version").textContent = `kpidash ${v}`),
  (err) => announce(`The engine did not start: ${errorText(err)}`),
);
