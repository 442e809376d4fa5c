/** Display formats shared by the run panels: figures that keep their width as they change. */

/** A byte count for people: `0 B`, `512 B`, `1.5 KB`, `12.0 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** A count with thousands separators, the same in every locale: `10,000`. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** Loop time in seconds with millisecond precision: `2.000`. */
export function formatLoopTime(seconds: number): string {
  return seconds.toFixed(3);
}

/** A duration in seconds, short: `0.125 s`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(3)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
