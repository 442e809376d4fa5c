// Events about observing a loop that runs outside our engine: a real CPython asyncio program under
// Loopwright's instrumentation (python/loopwright_shim). They extend the engine schema where Python
// shows something our engine has no event for: how long the selector blocked, traffic whose
// payload was not captured, and what the observer itself has to say about the view.
import { z } from 'zod';
import { transportKindSchema } from './transport-events';

const id = z.number().int().nonnegative();
/** Loop time (seconds, `loop.time()`) at which the event happened, as in the core events. */
const time = z.number();

/**
 * Something about the observation rather than the program: the view is partial (the program runs
 * on uvloop, whose queues Python cannot see), events may be missing (the program ended with
 * `os._exit` or a signal, skipping the flush at shutdown), the instrumentation failed, or a write
 * from the terminal could not be delivered.
 */
export const observerNoticeEventSchema = z.object({
  type: z.literal('observer-notice'),
  time,
  kind: z.enum(['partial-view', 'events-may-be-missing', 'shim-error', 'write-failed']),
  message: z.string(),
});

/**
 * The loop waited for I/O in its selector (base_events._run_once's `select(timeout)`): `waited`
 * seconds with a `timeout` (null: no limit), after which `ready` descriptors had events. Reported
 * only when the loop could block (a non-zero timeout).
 */
export const ioWaitEventSchema = z.object({
  type: z.literal('io-wait'),
  time,
  waited: z.number().nonnegative(),
  timeout: z.number().nullable(),
  ready: z.number().int().nonnegative(),
});

/**
 * Bytes went in or out of a transport, counted but not captured: what a `transport-data` event
 * says, without the payload (the `callbacks` detail level, or payload capture switched off).
 */
export const transportTrafficEventSchema = z.object({
  type: z.literal('transport-traffic'),
  time,
  transportId: id,
  kind: transportKindSchema,
  direction: z.enum(['in', 'out']),
  size: z.number().int().nonnegative(),
  fd: z.number().int().optional(),
  addr: z.string().optional(),
});

/** Every observer event, discriminated on `type`. */
export const observerEventSchema = z.discriminatedUnion('type', [observerNoticeEventSchema, ioWaitEventSchema, transportTrafficEventSchema]);

/** See {@link observerNoticeEventSchema}. */
export type ObserverNoticeEvent = z.infer<typeof observerNoticeEventSchema>;
/** See {@link ioWaitEventSchema}. */
export type IoWaitEvent = z.infer<typeof ioWaitEventSchema>;
/** See {@link transportTrafficEventSchema}. */
export type TransportTrafficEvent = z.infer<typeof transportTrafficEventSchema>;
/** An event about an observed external loop. */
export type ObserverEvent = z.infer<typeof observerEventSchema>;
