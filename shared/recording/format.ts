import { z } from 'zod';
import { engineEventSchema } from '../engine/events';
import { ClockKindSchema } from '../scenarios/scenario';

/** The format name in every recording's header. */
export const RECORDING_FORMAT = 'loopwright-recording';

/** The format version this build writes and reads; a larger one was made by a newer Loopwright. */
export const RECORDING_VERSION = 1;

/** The first line of a recording: what was run, where, on which clock, and when. */
export const RecordingHeaderSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.number().int().positive(),
  app: z.object({ name: z.string(), version: z.string() }),
  platform: z.string(),
  scenario: z.object({
    /** The scenario's path as the user knows it (library/…, workspace/…, or a file path). */
    path: z.string(),
    /** The full source that ran (the editor's text, saved or not). */
    source: z.string(),
    /** SHA-256 of the source, hex. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  clock: ClockKindSchema,
  /** Wall-clock start, ISO 8601. */
  startedAt: z.string(),
  /**
   * How much the run observed (the run request's detail level); absent means `full`. `callbacks`
   * and `tasks` recordings hold no payload bytes: traffic is counted, not captured.
   */
  detail: z.enum(['full', 'callbacks', 'tasks']).optional(),
});
export type RecordingHeader = z.infer<typeof RecordingHeaderSchema>;

/**
 * One recorded line after the header. `seq` counts from 1 without gaps; `wall` is milliseconds since
 * the start of the recording (the time the batch reached the recorder); engine events carry their
 * own loop time. Besides the engine's events, a recording keeps what the other panels show: console
 * output, errors, and run state changes.
 */
export const RecordingLineSchema = z.discriminatedUnion('kind', [
  z.object({ seq: z.number().int().positive(), wall: z.number(), kind: z.literal('event'), event: engineEventSchema }),
  z.object({ seq: z.number().int().positive(), wall: z.number(), kind: z.literal('output'), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  z.object({
    seq: z.number().int().positive(),
    wall: z.number(),
    kind: z.literal('error'),
    fatal: z.boolean(),
    name: z.string(),
    message: z.string(),
    stack: z.string(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
  }),
  z.object({ seq: z.number().int().positive(), wall: z.number(), kind: z.literal('state'), state: z.enum(['running', 'paused', 'finished', 'failed', 'stopped']) }),
]);
export type RecordingLine = z.infer<typeof RecordingLineSchema>;

/** A recording line before the recorder numbers and stamps it. */
export type RecordingEntry = RecordingLine extends infer L ? (L extends RecordingLine ? Omit<L, 'seq' | 'wall'> : never) : never;
