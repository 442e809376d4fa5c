// Opens a recording in a fresh process (as the app does on "open"), then seeks to random lines:
// the bare replayed state (a keyframe copy and a fold) and the full stateAt view (with the output,
// traffic and error tails). Prints one JSON line. Usage: open-seek.mjs <file> <label>
import { RecordingFile } from '../../electron/host/recording/recording-file';
import { replayView } from '../../shared/recording/replay-view';

const [file, label] = process.argv.slice(2);
const t0 = performance.now();
const recording = await RecordingFile.open(file);
const openMs = performance.now() - t0;
const lines = recording.lineCount;
// A fixed pseudo-random sequence, so every run seeks to the same lines.
let seed = 12345;
const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const state: number[] = [];
const view: number[] = [];
for (let i = 0; i < 200; i++) {
  const seq = 1 + Math.floor(next() * lines);
  const s0 = performance.now();
  recording.timeline.stateAt(seq, (from, to) => recording.range(from, to));
  const s1 = performance.now();
  replayView(recording.timeline, seq, recording);
  state.push(s1 - s0);
  view.push(performance.now() - s1);
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median_ms: +s[s.length >> 1].toFixed(2), p95_ms: +s[Math.floor(s.length * 0.95)].toFixed(2), max_ms: +s[s.length - 1].toFixed(2) };
};
console.log(
  JSON.stringify({
    open: label,
    events: recording.timeline.counts.events,
    lines,
    file_bytes: recording.sizeBytes,
    open_ms: Math.round(openMs),
    keyframes: recording.timeline.keyframeCount,
    heap_mb_after_open: Math.round(process.memoryUsage().heapUsed / 1e6),
    seek_state: stats(state),
    seek_state_at_view: stats(view),
    seeks: state.length,
  }),
);
