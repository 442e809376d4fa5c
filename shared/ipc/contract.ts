import { z } from 'zod';
import { channelTable, event, method, type ApiOf, type ImplementationOf } from './define';
import { ScenarioEntrySchema, ScenarioRefSchema } from '../scenarios/scenario';
import { engineEventSchema } from '../engine/events';
import { loopSnapshotSchema } from '../engine/snapshot';
import { fitConnectionTraffic, fitTraffic } from '../engine/traffic-allowance';
import {
  ExportFormatSchema,
  ExportOptionsSchema,
  ExportResultSchema,
  RecordingDetailsSchema,
  RecordingIdSchema,
  RecordingSettingsSchema,
  RecordingsChangeSchema,
  RecordingSummarySchema,
  ReplaySeekSchema,
  ReplayViewOptionsSchema,
  ReplayViewSchema,
} from '../recording/recordings';
import {
  HostConnectionEventSchema,
  RunErrorEventSchema,
  RunIdSchema,
  RunInfoSchema,
  RunOutputEventSchema,
  RunRequestSchema,
  RunStartResultSchema,
  RunStateEventSchema,
  StepKindSchema,
} from '../runs/run';

/**
 * Traffic bytes (base64, as they travel) a window is sent per run and second: more than its
 * terminal draws, so a protocol's traffic arrives whole and a flood costs no more than it can show.
 */
export const TRAFFIC_BYTES_PER_SECOND = 1024 * 1024;

/** How the workbench is being run: in the Electron window or served to a browser. */
export const RunModeSchema = z.enum(['electron', 'browser']);
export type RunMode = z.infer<typeof RunModeSchema>;

/** What `host.info()` answers: the proof of the round trip shown in the status bar. */
export const HostInfoSchema = z.object({
  appName: z.string(),
  appVersion: z.string(),
  mode: RunModeSchema,
  node: z.string(),
  electron: z.string().nullable(),
  chrome: z.string().nullable(),
  platform: z.string(),
  arch: z.string(),
});
export type HostInfo = z.infer<typeof HostInfoSchema>;

/** A line of the host's log that the renderer may show (refused calls, warnings). */
export const HostLogEntrySchema = z.object({
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  time: z.number(),
});
export type HostLogEntry = z.infer<typeof HostLogEntrySchema>;

/** A scenario's text as the editor gets it. */
export const ScenarioContentSchema = z.object({
  entry: ScenarioEntrySchema,
  source: z.string(),
  /** Why `export const meta` could not be read, when it could not. */
  metaProblem: z.string().optional(),
});
export type ScenarioContent = z.infer<typeof ScenarioContentSchema>;

/** Where the scenarios are on disk, for the explorer's header and tooltips. */
export const ScenarioFoldersSchema = z.object({ library: z.string(), workspace: z.string() });

/**
 * The typed IPC contract: one table of services, each with methods and `onX` events.
 * Both the Electron preload and the browser-mode WebSocket client are built from it, and the host
 * validates every payload against it. Later issues add services here.
 */
export const contract = {
  host: {
    /** Version, run mode and platform of the host. */
    info: method(z.tuple([]), HostInfoSchema),
    /** Log lines of the host (e.g. a refused call), as they happen. */
    onDidLog: event(HostLogEntrySchema),
  },
  scenarios: {
    /** The library's and the workspace's scenarios, with titles and descriptions from their meta. */
    list: method(z.tuple([]), z.array(ScenarioEntrySchema)),
    /** The folders behind the two locations. */
    folders: method(z.tuple([]), ScenarioFoldersSchema),
    /** One scenario's text. */
    read: method(z.tuple([ScenarioRefSchema]), ScenarioContentSchema),
    /** Replaces a workspace scenario's text (atomically: a failed save keeps the previous version). */
    write: method(z.tuple([ScenarioRefSchema, z.string()]), ScenarioEntrySchema),
    /** Creates a workspace scenario from the template, or from the given text (e.g. a library copy). */
    create: method(z.tuple([ScenarioRefSchema, z.string().optional()]), ScenarioEntrySchema),
    /** Renames a workspace scenario within the workspace. */
    rename: method(z.tuple([ScenarioRefSchema, ScenarioRefSchema.shape.path]), ScenarioEntrySchema),
    /** Deletes a workspace scenario. */
    delete: method(z.tuple([ScenarioRefSchema]), z.null()),
  },
  runs: {
    /** Compiles and starts a scenario in a worker of its own; compile errors come back instead of a run. */
    start: method(z.tuple([RunRequestSchema]), RunStartResultSchema),
    /** Ends a run now (a runaway loop included) and releases its sockets and child processes. */
    stop: method(z.tuple([RunIdSchema]), z.null()),
    /** Pauses before the next callback. */
    pause: method(z.tuple([RunIdSchema]), z.null()),
    /** Resumes, or steps one callback, one iteration, or to the next timer. */
    step: method(z.tuple([RunIdSchema, StepKindSchema]), z.null()),
    /** Pauses whenever a callback or task of one of these names is about to run. */
    setBreakpoints: method(z.tuple([RunIdSchema, z.array(z.string().max(200)).max(100)]), z.null()),
    /** Sends bytes (base64) to a transport of the run: a connection, a subprocess's stdin. */
    write: method(z.tuple([RunIdSchema, z.number().int().nonnegative(), z.base64().max(1024 * 1024)]), z.null()),
    /** The runs that are going. */
    list: method(z.tuple([]), z.array(RunInfoSchema)),
    /** Opens a client connection from the host to 127.0.0.1:port of a run, as netcat would. */
    connect: method(z.tuple([RunIdSchema, z.number().int().min(1).max(65535)]), z.object({ connectionId: z.number().int() })),
    /** Sends bytes (base64) on a connection opened with `connect`. */
    sendToConnection: method(z.tuple([z.number().int(), z.base64().max(1024 * 1024)]), z.null()),
    /** Half-closes a connection opened with `connect` (end of input). */
    closeConnection: method(z.tuple([z.number().int()]), z.null()),
    /**
     * Traffic and life of the connections opened with `connect`. Their bytes have an allowance of
     * their own, like the run's traffic: past it, data events come with their size only.
     */
    onDidConnectionEvent: event(HostConnectionEventSchema, {
      validate: false,
      bulk: { bytesPerSecond: TRAFFIC_BYTES_PER_SECOND, fit: fitConnectionTraffic },
    }),
    onDidChangeState: event(RunStateEventSchema),
    onDidOutput: event(RunOutputEventSchema, {
      policy: 'bounded',
      measure: (p) => p.chunks.length,
      dropNotice: (runId, dropped) => ({ runId, chunks: [], dropped }),
    }),
    onDidError: event(RunErrorEventSchema),
    /**
     * The engine's events, batched; produced by our engine, so not re-validated per event. A window
     * gets at most TRAFFIC_BYTES_PER_SECOND of traffic bytes per run (more than a terminal shows);
     * past that, traffic comes counted without its bytes (`transport-traffic`).
     */
    onDidEmitEvents: event(z.object({ runId: RunIdSchema, events: z.array(engineEventSchema), dropped: z.number().int().optional() }), {
      policy: 'bounded',
      validate: false,
      measure: (p) => p.events.length,
      dropNotice: (runId, dropped) => ({ runId, events: [], dropped }),
      bulk: {
        bytesPerSecond: TRAFFIC_BYTES_PER_SECOND,
        fit: (p, allowance) => {
          const { events, used } = fitTraffic(p.events, allowance);
          return { payload: events === p.events ? p : { ...p, events }, used };
        },
      },
    }),
    /** The loop's queues at most once per frame; only the latest matters. */
    onDidSnapshot: event(z.object({ runId: RunIdSchema, snapshot: loopSnapshotSchema }), { policy: 'latest', validate: false }),
  },
  /**
   * The session history and replay. A recording's id is its file name in the recordings folder.
   * Replay never runs the scenario: `open` indexes the file once (header, counts, markers), then
   * `stateAt` rebuilds the loop at any line from the nearest keyframe, and `seek` finds the line to
   * go to (a step by event, callback, iteration, marker or error, or a wall or loop time to play).
   */
  recordings: {
    /** Every recording, newest first: scenario, start, duration, events, size, pinned, complete or cut short. */
    list: method(z.tuple([]), z.array(RecordingSummarySchema)),
    /** Opens a recording for replay: header, counts, markers, iteration ticks, transports. A damaged file fails with a message that says where. */
    open: method(z.tuple([RecordingIdSchema]), RecordingDetailsSchema),
    /** The replayed state after line `seq` (0: before the first): the snapshot, output, traffic and errors up to it. */
    stateAt: method(z.tuple([RecordingIdSchema, z.number().int().nonnegative(), ReplayViewOptionsSchema.optional()]), ReplayViewSchema),
    /** The line a step or a time leads to (stays put at the ends). */
    seek: method(z.tuple([RecordingIdSchema, ReplaySeekSchema]), z.number().int().nonnegative()),
    /** Renames a recording (its file); answers the new summary, whose id is the new file name. */
    rename: method(z.tuple([RecordingIdSchema, z.string().min(1).max(200)]), RecordingSummarySchema),
    /** Deletes a recording (refused while a run writes it). */
    delete: method(z.tuple([RecordingIdSchema]), z.null()),
    /** Keeps a recording whatever the disk bound says. */
    pin: method(z.tuple([RecordingIdSchema]), z.null()),
    /** Lets the disk bound delete a recording again (oldest unpinned first). */
    unpin: method(z.tuple([RecordingIdSchema]), z.null()),
    /** Exports a recording (pcapng, Chrome trace JSON, asciinema cast) into the recordings folder's exports/. */
    export: method(z.tuple([RecordingIdSchema, ExportFormatSchema, ExportOptionsSchema.optional()]), ExportResultSchema),
    /** The disk-use bound. */
    settings: method(z.tuple([]), RecordingSettingsSchema),
    /** Changes the disk-use bound and applies it at once. */
    setSettings: method(z.tuple([RecordingSettingsSchema]), RecordingSettingsSchema),
    /** Where recordings and exports are written. */
    folders: method(z.tuple([]), z.object({ recordings: z.string(), exports: z.string() })),
    /** The history changed: re-read the list. */
    onDidChange: event(RecordingsChangeSchema),
  },
} as const;

export type Contract = typeof contract;

/** Channel names, e.g. `Channels.host.info` === 'host.info'. Never write channel strings by hand. */
export const Channels = channelTable(contract);

/** The API object the renderer sees as `window.loopwright`. */
export type LoopwrightApi = ApiOf<Contract>;

/** What the host implements. */
export type LoopwrightServices = ImplementationOf<Contract>;
