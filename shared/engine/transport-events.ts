// The I/O layer's part of the engine event schema: transport lifecycle and traffic, and the
// `transports` entries of a loop snapshot. Every byte a transport sends or receives is one
// `transport-data` event, so the terminal, the recorder and the exporters (pcapng, asciinema) all
// read the same stream.
//
// Bytes are carried as base64 strings (RFC 4648, with padding): events cross IPC and are written
// one per line as JSON, where base64 is binary-safe (non-UTF-8 data survives), a third larger than
// the payload rather than three or four times larger as a JSON number array would be, and decodes
// without a parser of our own. `size` repeats the decoded length so a consumer can count traffic
// without decoding. base64.ts is the codec; transport-kinds.ts and error-description.ts hold the
// rest that the engine needs at run time, so that the engine does not load zod with this schema.
import { z } from 'zod';
import { TRANSPORT_KINDS } from './transport-kinds';

const id = z.number().int().nonnegative();
/** Loop time (seconds, `loop.time()`) at which the event happened, as in the core events. */
const time = z.number();

/** What a transport carries: one of TRANSPORT_KINDS. */
export const transportKindSchema = z.enum(TRANSPORT_KINDS);

/** An error as it travels in events: the class name (`ConnectionResetError`), its message, and the
 * errno fields when it is an OSError. */
export const transportErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  errno: z.number().int().optional(),
  code: z.string().optional(),
});

/** Base64 text (RFC 4648 alphabet, padded); see the note at the top of this file. */
const base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'base64');

/**
 * A transport is connected and its protocol's `connectionMade` is scheduled. `peer` and `local` are
 * display addresses (`127.0.0.1:8888`, `[::1]:8888`), null where there is none (an unconnected UDP
 * endpoint, a pipe). A subprocess carries its `pid` and `program`; a subprocess pipe carries its
 * `fd` and the subprocess transport as `parentId`; a connection accepted by a server carries that
 * server's `serverId`.
 */
export const transportOpenedEventSchema = z.object({
  type: z.literal('transport-opened'),
  time,
  transportId: id,
  kind: transportKindSchema,
  peer: z.string().nullable(),
  local: z.string().nullable(),
  pid: z.number().int().optional(),
  program: z.string().optional(),
  fd: z.number().int().optional(),
  parentId: id.optional(),
  serverId: id.optional(),
});

/**
 * Bytes that went in (delivered by the transport to its protocol's side) or out (accepted by
 * `write`/`sendto`). `fd` is set for subprocess pipes, `addr` for datagrams (the sender for `in`,
 * the destination for `out`).
 */
export const transportDataEventSchema = z.object({
  type: z.literal('transport-data'),
  time,
  transportId: id,
  kind: transportKindSchema,
  direction: z.enum(['in', 'out']),
  /** The bytes, base64-encoded (decode with {@link decodeBytes}). */
  data: base64,
  /** The number of bytes (the decoded length of `data`). */
  size: z.number().int().nonnegative(),
  fd: z.number().int().optional(),
  addr: z.string().optional(),
});

/**
 * Bytes arrived from the operating system and wait in the transport until a `_readReady` callback
 * delivers them (then a `transport-data` `in` event carries them). The snapshot's `bytesIn` counts
 * from here, so the gap between the two shows data held back, e.g. while reading is paused.
 */
export const transportReceivedEventSchema = z.object({
  type: z.literal('transport-received'),
  time,
  transportId: id,
  size: z.number().int().nonnegative(),
});

/**
 * The write buffer's size changed: after a write (when the operating system did not take all of it
 * at once) or when buffered bytes went out. Reported only when it differs from the last size an
 * event carried, so a connection that keeps up emits none.
 */
export const transportWriteBufferEventSchema = z.object({
  type: z.literal('transport-write-buffer'),
  time,
  transportId: id,
  writeBufferSize: z.number().int().nonnegative(),
});

/** End of file: `in` when the peer sent EOF (`eofReceived`), `out` when `writeEof` sent ours. */
export const transportEofEventSchema = z.object({
  type: z.literal('transport-eof'),
  time,
  transportId: id,
  direction: z.enum(['in', 'out']),
});

/** Flow control: reading paused or resumed by `pauseReading`/`resumeReading`, or the protocol's
 * writing paused or resumed (`pauseWriting`/`resumeWriting`) by the write buffer's marks. */
export const transportFlowEventSchema = z.object({
  type: z.literal('transport-flow'),
  time,
  transportId: id,
  what: z.enum(['pause-reading', 'resume-reading', 'pause-writing', 'resume-writing']),
  /** The write buffer size when the event happened. */
  writeBufferSize: z.number().int().nonnegative(),
});

/** `close()` or `abort()` was called (the transport is closing; `connectionLost` follows). */
export const transportClosingEventSchema = z.object({
  type: z.literal('transport-closing'),
  time,
  transportId: id,
  abort: z.boolean(),
});

/** The connection is lost: the protocol's `connectionLost(error)` is scheduled, with `error` null for
 * a regular close. Last event of a transport. */
export const transportLostEventSchema = z.object({
  type: z.literal('transport-lost'),
  time,
  transportId: id,
  error: transportErrorSchema.nullable(),
});

/** A non-fatal error delivered to a datagram protocol's `errorReceived`. */
export const transportErrorEventSchema = z.object({
  type: z.literal('transport-error'),
  time,
  transportId: id,
  error: transportErrorSchema,
});

/** A child process exited; `returncode` is negative (minus the signal number) when a signal killed it. */
export const processExitedEventSchema = z.object({
  type: z.literal('process-exited'),
  time,
  transportId: id,
  pid: z.number().int(),
  returncode: z.number().int(),
});

/** A server started listening on `sockets` (display addresses). */
export const serverListeningEventSchema = z.object({
  type: z.literal('server-listening'),
  time,
  serverId: id,
  sockets: z.array(z.string()),
});

/** A server stopped listening (`close()`); its accepted connections may still be open. */
export const serverClosedEventSchema = z.object({
  type: z.literal('server-closed'),
  time,
  serverId: id,
});

/** Every event of the I/O layer, discriminated on `type`. */
export const transportEventSchema = z.discriminatedUnion('type', [
  transportOpenedEventSchema,
  transportDataEventSchema,
  transportReceivedEventSchema,
  transportWriteBufferEventSchema,
  transportEofEventSchema,
  transportFlowEventSchema,
  transportClosingEventSchema,
  transportLostEventSchema,
  transportErrorEventSchema,
  processExitedEventSchema,
  serverListeningEventSchema,
  serverClosedEventSchema,
]);

/**
 * One open transport in a loop snapshot. `state`: `open`; `read-closed` once the peer sent EOF and
 * the protocol kept the connection half-open; `write-closed` after `writeEof`; `closing` after
 * `close()` while the buffer flushes (or, for a subprocess, after exit while its pipes close);
 * `closed` after `connectionLost` (such entries drop out of the next snapshot). `paused.reading` is
 * `pauseReading()` in effect; `paused.writing` is the protocol being paused by the write buffer's
 * high-water mark.
 */
export const transportInfoSchema = z.object({
  id,
  kind: transportKindSchema,
  state: z.enum(['open', 'read-closed', 'write-closed', 'closing', 'closed']),
  /** Display address of the peer (`127.0.0.1:8888`), the program of a subprocess, or null. */
  peer: z.string().nullable(),
  bytesIn: z.number().int().nonnegative(),
  bytesOut: z.number().int().nonnegative(),
  writeBufferSize: z.number().int().nonnegative(),
  paused: z.object({ reading: z.boolean(), writing: z.boolean() }),
  pid: z.number().int().optional(),
  returncode: z.number().int().nullable().optional(),
  fd: z.number().int().optional(),
  parentId: id.optional(),
});

/** See {@link transportKindSchema}. */
export type TransportKind = z.infer<typeof transportKindSchema>;
/** See {@link transportErrorSchema}. */
export type TransportError = z.infer<typeof transportErrorSchema>;
/** See {@link transportOpenedEventSchema}. */
export type TransportOpenedEvent = z.infer<typeof transportOpenedEventSchema>;
/** See {@link transportDataEventSchema}. */
export type TransportDataEvent = z.infer<typeof transportDataEventSchema>;
/** See {@link transportReceivedEventSchema}. */
export type TransportReceivedEvent = z.infer<typeof transportReceivedEventSchema>;
/** See {@link transportWriteBufferEventSchema}. */
export type TransportWriteBufferEvent = z.infer<typeof transportWriteBufferEventSchema>;
/** See {@link transportEofEventSchema}. */
export type TransportEofEvent = z.infer<typeof transportEofEventSchema>;
/** See {@link transportFlowEventSchema}. */
export type TransportFlowEvent = z.infer<typeof transportFlowEventSchema>;
/** See {@link transportClosingEventSchema}. */
export type TransportClosingEvent = z.infer<typeof transportClosingEventSchema>;
/** See {@link transportLostEventSchema}. */
export type TransportLostEvent = z.infer<typeof transportLostEventSchema>;
/** See {@link transportErrorEventSchema}. */
export type TransportErrorEvent = z.infer<typeof transportErrorEventSchema>;
/** See {@link processExitedEventSchema}. */
export type ProcessExitedEvent = z.infer<typeof processExitedEventSchema>;
/** See {@link serverListeningEventSchema}. */
export type ServerListeningEvent = z.infer<typeof serverListeningEventSchema>;
/** See {@link serverClosedEventSchema}. */
export type ServerClosedEvent = z.infer<typeof serverClosedEventSchema>;
/** A transport event emitted by the engine's I/O layer. */
export type TransportEvent = z.infer<typeof transportEventSchema>;
/** One transport as shown in a loop snapshot. */
export type TransportInfo = z.infer<typeof transportInfoSchema>;
