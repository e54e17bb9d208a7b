/**
 * The drop zone and file picker. Reports chosen files through one callback;
 * knows nothing about what happens to them.
 */

/** Extensions the picker offers (Arrow IPC file/stream and text exports). */
export const ACCEPT = ".arrow,.feather,.ipc,.arrows,.csv,.tsv,.txt";

export function mountDropZone(zone: HTMLElement, input: HTMLInputElement, onFiles: (files: File[]) => void): void {
  input.accept = ACCEPT;
  input.multiple = true;

  input.addEventListener("change", () => {
    const files = Array.from(input.files ?? []);
    input.value = ""; // choosing the same file again fires change again
    if (files.length > 0) onFiles(files);
  });

  let depth = 0; // dragenter/dragleave fire for children too
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");

  // The whole window accepts drops, so a near miss never navigates away.
  window.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    zone.classList.add("dragging");
  });
  window.addEventListener("dragleave", (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove("dragging");
  });
  window.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
  });
  window.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove("dragging");
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length > 0) onFiles(files);
  });
}
