/**
 * Reading dropped files: a size guard before anything is read, and reading
 * in chunks so the page can show progress.
 */

/** The largest file the page accepts. The engine holds the bytes, the decoded
 * columns and its working vectors at once, inside WebAssembly's 4 GB; past
 * about 1 GB of input a tab runs out of memory. (Same limit as the engine's
 * `MAX_FILE_BYTES`.) */
export const MAX_FILE_BYTES = 1 << 30;

/** Why a file is refused before reading, or null when it can be read. */
export function refusal(name: string, size: number): string | null {
  if (size <= MAX_FILE_BYTES) return null;
  const gb = (n: number) => (n / 2 ** 30).toFixed(1);
  return `${name}: ${gb(size)} GB is more than the ${gb(MAX_FILE_BYTES)} GB a browser tab can load; split the export by date, or use the command line (kpidash report), which has no such limit`;
}

/** Reads a Blob into one buffer, reporting the fraction read (0–1). */
export async function readWithProgress(blob: Blob, onProgress?: (fraction: number) => void): Promise<ArrayBuffer> {
  if (!onProgress || typeof blob.stream !== "function") return blob.arrayBuffer();
  const out = new Uint8Array(blob.size);
  const reader = blob.stream().getReader();
  let offset = 0;
  let reported = -1;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > out.length) throw new Error("the file changed while it was read");
    out.set(value, offset);
    offset += value.length;
    const percent = Math.floor((offset / Math.max(blob.size, 1)) * 100);
    if (percent !== reported) {
      reported = percent;
      onProgress(offset / Math.max(blob.size, 1));
    }
  }
  return out.buffer;
}
