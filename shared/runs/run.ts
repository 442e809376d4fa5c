import { z } from 'zod';
import { ClockKindSchema, ScenarioRefSchema } from '../scenarios/scenario';

/** A run's id (a UUID the host assigns). */
export const RunIdSchema = z.string().min(1).max(64);

/** Where a run is in its life. */
export const RunStateSchema = z.enum(['running', 'paused', 'finished', 'failed', 'stopped']);
export type RunStateName = z.infer<typeof RunStateSchema>;

/** Whether a run in `state` has ended: finished, failed or stopped (none of them comes back). */
export function runEnded(state: RunStateName): state is 'finished' | 'failed' | 'stopped' {
  return state === 'finished' || state === 'failed' || state === 'stopped';
}

/** Why a run paused. */
export const PauseReasonSchema = z.enum(['pause', 'step', 'breakpoint']);

/** A place in the scenario's own source. Lines and columns count from 1. */
export const SourceLocationSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  lineText: z.string().optional(),
});
export type SourceLocationInfo = z.infer<typeof SourceLocationSchema>;

/**
 * How much of a run is observed and recorded: `full` (every callback and every byte of traffic),
 * `callbacks` (no payload bytes: traffic is counted, not captured; this is the switch that keeps
 * secrets a program sends out of recordings) or `tasks` (a Python program's task steps only, no
 * handles). A TypeScript scenario's worker has no lighter mode than its own: it honours the payload
 * part, so `callbacks` and `tasks` both leave its events without payload bytes.
 */
export const RunDetailSchema = z.enum(['full', 'callbacks', 'tasks']);
export type RunDetail = z.infer<typeof RunDetailSchema>;

/** What to run. `source` runs the editor's unsaved text in place of the file's. */
export const RunRequestSchema = z.object({
  scenario: ScenarioRefSchema,
  source: z.string().max(2 * 1024 * 1024).optional(),
  /** Default: the scenario's meta.clock, else real. */
  clock: ClockKindSchema.optional(),
  /** Start paused before the first callback. */
  paused: z.boolean().default(false),
  /** Callback or task names to pause at. */
  breakpoints: z.array(z.string().max(200)).max(100).default([]),
  /** Record the run into the session history (the run toolbar's Record toggle). */
  record: z.boolean().default(true),
  /** How much is observed and recorded (see {@link RunDetailSchema}). */
  detail: RunDetailSchema.default('full'),
});
export type RunRequest = z.input<typeof RunRequestSchema>;

/** The answer to a run request: a run, or the compile errors that kept it from starting. */
export const RunStartResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    runId: RunIdSchema,
    clock: ClockKindSchema,
    /** The recording being written, when the run is recorded (a `recordings` id, `….lwrec.partial` until the run ends). */
    recordingId: z.string().optional(),
  }),
  z.object({
    ok: z.literal(false),
    message: z.string(),
    diagnostics: z.array(z.object({ message: z.string(), location: SourceLocationSchema.optional() })),
  }),
]);
export type RunStartResult = z.infer<typeof RunStartResultSchema>;

/** The debugger's commands besides pause: resume, or one of the steps. */
export const StepKindSchema = z.enum(['resume', 'callback', 'iteration', 'timer']);
export type StepKind = z.infer<typeof StepKindSchema>;

/** A run in the list of runs. */
export const RunInfoSchema = z.object({
  runId: RunIdSchema,
  scenario: ScenarioRefSchema,
  clock: ClockKindSchema,
  state: RunStateSchema,
  startedAt: z.number(),
});
export type RunInfo = z.infer<typeof RunInfoSchema>;

/** A run changed state; `next` is the callback it paused in front of. */
export const RunStateEventSchema = z.object({
  runId: RunIdSchema,
  state: RunStateSchema,
  reason: PauseReasonSchema.optional(),
  next: z.object({ id: z.number().int(), callback: z.string() }).nullable().optional(),
});
export type RunStateEvent = z.infer<typeof RunStateEventSchema>;

/** Console output of a run, stdout and stderr apart but in the order written. */
export const RunOutputEventSchema = z.object({
  runId: RunIdSchema,
  chunks: z.array(z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string() })),
  /** Chunks lost because the window could not keep up. */
  dropped: z.number().int().optional(),
});
export type RunOutputEvent = z.infer<typeof RunOutputEventSchema>;

/** An error of a run: uncaught (fatal) or reported by the loop's exception handler. */
export const RunErrorEventSchema = z.object({
  runId: RunIdSchema,
  fatal: z.boolean(),
  name: z.string(),
  message: z.string(),
  stack: z.string(),
  location: SourceLocationSchema.optional(),
});
export type RunErrorEvent = z.infer<typeof RunErrorEventSchema>;

/** Something happened on a connection the host opened to a run's port (the terminal's "connect"). */
export const HostConnectionEventSchema = z.object({
  runId: RunIdSchema,
  connectionId: z.number().int(),
  kind: z.enum(['open', 'data', 'eof', 'close', 'error']),
  direction: z.enum(['in', 'out']).optional(),
  /** The bytes, base64 (binary-safe); left out past a window's traffic allowance, where `size` still counts them. */
  data: z.string().optional(),
  /** For data: how many bytes. */
  size: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
  time: z.number(),
});
export type HostConnectionEventInfo = z.infer<typeof HostConnectionEventSchema>;
