/**
 * The page's one list of files: every file the user added, with its Blob,
 * the kind chosen for it, what its card shows, and whether the engine holds
 * it. The cards (file-list.ts) render it, the page reads it for breakdowns
 * and reloads, and the worker client restores the held files from it after
 * the engine trapped. No DOM here.
 */
import type { FileInfo } from "./types";

/** What a file's card shows. */
export type FileState = { state: "reading" } | { state: "loaded" } | { state: "error"; message: string };

export interface FileEntry {
  readonly name: string;
  readonly blob: Blob;
  /** The kind the user chose; null: detected. */
  readonly kind: string | null;
  readonly shown: FileState;
  /** The engine holds this file: its description, and when it loaded it
   * (the order the engine keeps its files in). Null when it does not. */
  readonly held: { info: FileInfo; order: number } | null;
}

/** A file the engine holds, as it must be loaded again after a trap. */
export interface HeldFile {
  name: string;
  blob: Blob;
  kind: string | null;
}

export class FileSet {
  /** In the order the files were first added (the cards' order). */
  private entries = new Map<string, FileEntry>();
  private loads = 0;
  private listeners: (() => void)[] = [];

  /** Calls `listener` after every change. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  get(name: string): FileEntry | undefined {
    return this.entries.get(name);
  }

  /** Every file, in the cards' order. */
  all(): FileEntry[] {
    return [...this.entries.values()];
  }

  /** Descriptions of the files the engine holds, in the cards' order. */
  loaded(): FileInfo[] {
    return this.all().flatMap((e) => (e.held ? [e.held.info] : []));
  }

  /** The files the engine holds, in the order it loaded them. */
  held(): HeldFile[] {
    return this.all()
      .filter((e) => e.held !== null)
      .sort((a, b) => (a.held?.order ?? 0) - (b.held?.order ?? 0))
      .map(({ name, blob, kind }) => ({ name, blob, kind }));
  }

  /**
   * A file (new, or again with another kind or configuration) is about to be
   * read: the engine's earlier version of it no longer counts. Returns
   * whether the engine held one (the caller removes it there if reading fails).
   */
  reading(name: string, blob: Blob, kind: string | null): boolean {
    const had = this.entries.get(name)?.held != null;
    this.put({ name, blob, kind, shown: { state: "reading" }, held: null });
    return had;
  }

  /** The card shows the file being read again, while the engine still holds it (restoring after a trap). */
  showReading(name: string): void {
    const entry = this.entries.get(name);
    if (entry) this.put({ ...entry, shown: { state: "reading" } });
  }

  /** The engine loaded the file: it is the last the engine loaded. */
  loadedAs(info: FileInfo): void {
    const entry = this.entries.get(info.name);
    if (entry) this.put({ ...entry, shown: { state: "loaded" }, held: { info, order: ++this.loads } });
  }

  /** The file is not in the engine; its card says why. */
  failed(name: string, message: string): void {
    const entry = this.entries.get(name);
    if (entry) this.put({ ...entry, shown: { state: "error", message }, held: null });
  }

  remove(name: string): void {
    if (this.entries.delete(name)) this.changed();
  }

  clear(): void {
    this.entries.clear();
    this.changed();
  }

  private put(entry: FileEntry): void {
    this.entries.set(entry.name, entry);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
