// The `recordings` service's payloads: the session history (summaries), an opened recording
// (header, counts, markers), the replayed state at a line, stepping, exports and the disk bound.
// The host validates calls against these schemas; the renderer gets its types from them.
//
// How the workbench drives it (window.loopwright.recordings):
// - Record toggle: `runs.start({ …, record })` (default true) answers `recordingId`, which ends in
//   `.lwrec.partial` while the run writes it. When the run ends, `onDidChange({ reason: 'finished',
//   ids: [partialId, finalId] })` gives the final id. Re-read `list()` on every `onDidChange`.
// - History: `list()` (newest first) → summaries with status `complete` | `recording` | `cut-short`
//   (a crash left the file unfinished: it still opens). `rename`, `delete`, `pin`/`unpin`,
//   `export(id, 'pcapng' | 'trace' | 'cast', { transportId? })` (written to `folders().exports`),
//   `settings()` / `setSettings({ maxBytes })` for the disk bound (pinned recordings are kept).
// - Replay mode: `open(id)` once (a damaged file rejects with a message naming the line; show
//   `warnings`, e.g. a torn last line dropped after a crash). The scrubber spans lines 0..counts.lines
//   with `markers` and `iterations.seqs` as ticks. Show a line with `stateAt(id, seq)`: `snapshot` is
//   exactly a live `loop.snapshot()` (the loop inspector's input), `current` the running callback,
//   `output`/`traffic`/`errors` the panels' contents up to that line (tails; `omitted` counts what is
//   left out, ask for more with the options).
// - Stepping: `seek(id, { step: 'event' | 'callback' | 'iteration' | 'marker' | 'error' | 'line',
//   direction, from: seq })` answers the line to show; "step back one callback" is
//   `{ step: 'callback', direction: 'back', from }`.
// - Playing: at 1x or 10x on a real-clock recording, advance a wall time by elapsed × speed every
//   frame and show `seek(id, { wall })`; a virtual-clock recording plays by `seek(id, { time })` in
//   loop seconds (its wall times are all about zero). "As fast as possible": step by event every
//   frame, or by a stride of lines on a long recording (renderer/src/lib/replay-scrubber.ts). Every `stateAt` costs a keyframe copy and a fold of at most a few
//   thousand lines, so one per frame is fine.
import { z } from 'zod';
import { loopSnapshotSchema } from '../engine/snapshot';
import { RecordingHeaderSchema, RecordingLineSchema } from './format';

/** A recording's id: its file name in the recordings folder (no path). */
export const RecordingIdSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((id) => !/[/\\]/.test(id) && id !== '.' && id !== '..' && !id.startsWith('.'), 'a recording id is a file name, without folders');
export type RecordingId = z.infer<typeof RecordingIdSchema>;

/**
 * How a recording ended: `complete` (the run ended and the file was finalised), `recording` (a run
 * is writing it now), `cut-short` (the writing process died: a `.partial` file nobody writes).
 */
export const RecordingStatusSchema = z.enum(['complete', 'recording', 'cut-short']);

/** One entry of the session history. */
export const RecordingSummarySchema = z.object({
  id: RecordingIdSchema,
  /** The scenario's path as the user knows it (library/…, workspace/…, or a file path). */
  scenario: z.string(),
  clock: z.enum(['real', 'virtual']),
  /** ISO 8601. */
  startedAt: z.string(),
  /** Wall milliseconds from the first line to the last. */
  durationMs: z.number().nonnegative(),
  /** Engine events (the other lines are output, errors and run states). */
  events: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  pinned: z.boolean(),
  status: RecordingStatusSchema,
  /** How the run ended, from its last state line, when it ended. */
  runState: z.enum(['finished', 'failed', 'stopped']).nullable(),
  /** Why the summary could not be read, for a damaged file (it can still be deleted). */
  problem: z.string().optional(),
});
export type RecordingSummary = z.infer<typeof RecordingSummarySchema>;

/** A mark on the scrubber. */
export const ReplayMarkerSchema = z.object({
  seq: z.number().int().positive(),
  kind: z.enum(['error', 'connection', 'process-exit', 'server', 'closed']),
  label: z.string(),
});
export type ReplayMarkerInfo = z.infer<typeof ReplayMarkerSchema>;

/** A transport that carried traffic in the recording, for the terminal's tabs and the cast export. */
export const TrafficSourceSchema = z.object({
  transportId: z.number().int().nonnegative(),
  kind: z.string(),
  peer: z.string().nullable(),
  local: z.string().nullable(),
  pid: z.number().int().optional(),
  program: z.string().optional(),
  fd: z.number().int().optional(),
  parentId: z.number().int().optional(),
  serverId: z.number().int().optional(),
  openedSeq: z.number().int(),
  /** A human label: `tcp 127.0.0.1:5000 → 127.0.0.1:8888`, `stdout of /usr/bin/node (pid 42)`. */
  label: z.string(),
});
export type TrafficSourceInfo = z.infer<typeof TrafficSourceSchema>;

/** What `open` answers: everything the scrubber needs up front. */
export const RecordingDetailsSchema = z.object({
  summary: RecordingSummarySchema,
  header: RecordingHeaderSchema,
  /** Recoverable problems to show the user, e.g. a torn last line dropped after a crash. */
  warnings: z.array(z.string()),
  counts: z.object({
    lines: z.number().int(),
    events: z.number().int(),
    callbacks: z.number().int(),
    iterations: z.number().int(),
    errors: z.number().int(),
    output: z.number().int(),
    tasks: z.number().int(),
    transports: z.number().int(),
  }),
  /** Loop time of the first and last events (seconds). */
  loopTime: z.object({ start: z.number(), end: z.number() }),
  markers: z.array(ReplayMarkerSchema),
  markersOmitted: z.number().int(),
  /** Lines where iterations start: the count and up to 2,000 of them evenly spread, for ticks. */
  iterations: z.object({ count: z.number().int(), seqs: z.array(z.number().int()) }),
  /**
   * The timeline plot's figures: per iteration (up to 2,000 points; beyond that each point is a run
   * of iterations with their highest figures) its number, line, loop time, ready queue and timers
   * at its start, and the events it produced.
   */
  series: z.object({
    iteration: z.array(z.number().int()),
    seq: z.array(z.number().int()),
    time: z.array(z.number()),
    ready: z.array(z.number().int()),
    timers: z.array(z.number().int()),
    events: z.array(z.number().int()),
  }),
  transports: z.array(TrafficSourceSchema),
});
export type RecordingDetails = z.infer<typeof RecordingDetailsSchema>;

/** Options of `stateAt`: how much output and traffic to include (the tail before the line). */
export const ReplayViewOptionsSchema = z
  .object({
    /** Entries per snapshot list, as `loop.snapshot({ limit })` (default 2000). */
    limit: z.number().int().min(1).max(100_000).optional(),
    /** Characters of console output (default 65,536). */
    outputChars: z.number().int().min(0).max(16 * 1024 * 1024).optional(),
    /** Bytes of traffic per transport (default 65,536). */
    trafficBytes: z.number().int().min(0).max(16 * 1024 * 1024).optional(),
    /** Only these transports' traffic (default all). */
    transports: z.array(z.number().int().nonnegative()).max(1000).optional(),
  });
export type ReplayViewOptions = z.input<typeof ReplayViewOptionsSchema>;

/** A chunk of a transport's traffic. */
export const TrafficChunkSchema = z.object({
  seq: z.number().int().positive(),
  direction: z.enum(['in', 'out']),
  /** base64, exactly as recorded. */
  data: z.string(),
  size: z.number().int().nonnegative(),
  fd: z.number().int().optional(),
  addr: z.string().optional(),
  /** Loop time (seconds). */
  time: z.number(),
});

/** An error as the errors panel shows it: an error line of the run or the loop's exception event. */
export const ReplayErrorSchema = z.object({
  seq: z.number().int().positive(),
  source: z.enum(['run', 'loop']),
  fatal: z.boolean(),
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

/** The replayed state at one line: what every panel shows in replay mode. */
export const ReplayViewSchema = z.object({
  seq: z.number().int().nonnegative(),
  /** The line itself (null at 0, before the first line). */
  line: RecordingLineSchema.nullable(),
  wall: z.number(),
  /** The loop, exactly as `loop.snapshot()` returned it live at that line. */
  snapshot: loopSnapshotSchema,
  /** The callback running at this line (between its handle-started and handle-finished). */
  current: z.object({ id: z.number().int(), callback: z.string(), args: z.string(), startedSeq: z.number().int() }).nullable(),
  runState: z.enum(['running', 'paused', 'finished', 'failed', 'stopped']).nullable(),
  /** Servers that were listening (or had closed) by then. */
  servers: z.array(z.object({ id: z.number().int(), sockets: z.array(z.string()), listening: z.boolean() })),
  /** Futures pending at this line (tasks aside), oldest first, up to `limit`: the inspector's Futures list. */
  futures: z.array(z.object({ id: z.number().int(), name: z.string(), created: z.number() })),
  output: z.object({
    chunks: z.array(z.object({ seq: z.number().int(), stream: z.enum(['stdout', 'stderr']), text: z.string() })),
    /** Output lines before these that were left out. */
    omitted: z.number().int(),
  }),
  traffic: z.array(
    z.object({
      transportId: z.number().int(),
      chunks: z.array(TrafficChunkSchema),
      /** Bytes before these chunks that were left out. */
      omittedBytes: z.number().int(),
    }),
  ),
  errors: z.object({ items: z.array(ReplayErrorSchema), omitted: z.number().int() }),
  /** Counts from the start up to this line. */
  counts: z.object({ events: z.number().int(), callbacks: z.number().int(), errors: z.number().int(), output: z.number().int() }),
});
export type ReplayView = z.infer<typeof ReplayViewSchema>;

/** What a step moves by (see `recordings.step`). */
export const ReplayStepUnitSchema = z.enum(['line', 'event', 'callback', 'iteration', 'marker', 'error']);

/** Where to go: a line one step away, or the last line at a wall or loop time (for playing). */
export const ReplaySeekSchema = z.union([
  z.object({ step: ReplayStepUnitSchema, direction: z.enum(['forward', 'back']), from: z.number().int().nonnegative() }),
  /** Milliseconds since the recording started (play at 1x or 10x on the real clock). */
  z.object({ wall: z.number() }),
  /** Loop time in seconds (play by the loop's own clock, which a virtual recording needs). */
  z.object({ time: z.number() }),
]);
export type ReplaySeek = z.infer<typeof ReplaySeekSchema>;

/** Export formats: pcapng (Wireshark), Chrome trace JSON (Perfetto), asciinema cast v2. */
export const ExportFormatSchema = z.enum(['pcapng', 'trace', 'cast']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** Options of an export. */
export const ExportOptionsSchema = z
  .object({
    /** cast: only this transport's traffic (default: all, each chunk labelled). */
    transportId: z.number().int().nonnegative().optional(),
  });

/** An export's result: written into the recordings folder's `exports/` unless a path is given (CLI). */
export const ExportResultSchema = z.object({
  /** Where the file was written. */
  file: z.string(),
  sizeBytes: z.number().int(),
  /** What the export left out and why (e.g. subprocess traffic has no place in a pcapng). */
  notes: z.array(z.string()),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

/** The disk-use bound: recordings beyond it are deleted, oldest unpinned first. */
export const RecordingSettingsSchema = z.object({
  /** Bytes (default 1 GiB). */
  maxBytes: z.number().int().min(1024 * 1024).max(2 ** 50),
});
export type RecordingSettings = z.infer<typeof RecordingSettingsSchema>;

/** The default disk-use bound: 1 GiB. */
export const DEFAULT_MAX_RECORDING_BYTES = 1024 ** 3;

/** What changed in the history (the list is re-read on any of them). */
export const RecordingsChangeSchema = z.object({
  reason: z.enum(['started', 'finished', 'renamed', 'deleted', 'pinned', 'pruned', 'settings']),
  ids: z.array(z.string()),
});
export type RecordingsChange = z.infer<typeof RecordingsChangeSchema>;
