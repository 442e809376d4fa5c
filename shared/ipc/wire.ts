import { z } from 'zod';

/**
 * The wire protocol under the typed API: the same messages travel over Electron IPC and over the
 * browser-mode WebSocket, so both modes share one code path above the transport.
 */

/** Why a call failed, as the client sees it. */
export const IpcErrorCodeSchema = z.enum([
  'unknown-channel',
  'invalid-payload',
  'handler-failed',
  'bad-message',
  'disconnected',
]);
export type IpcErrorCode = z.infer<typeof IpcErrorCodeSchema>;

export const IpcErrorPayloadSchema = z.object({
  code: IpcErrorCodeSchema,
  message: z.string(),
  /** For `invalid-payload`: where the payload was wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type IpcErrorPayload = z.infer<typeof IpcErrorPayloadSchema>;

/** Messages from a renderer to the host. */
export const ToHostSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), channel: z.string(), args: z.array(z.unknown()) }),
  z.object({ t: z.literal('subscribe'), channel: z.string() }),
  z.object({ t: z.literal('unsubscribe'), channel: z.string() }),
]);
export type ToHost = z.infer<typeof ToHostSchema>;

/** Messages from the host to a renderer. */
export type ToRenderer =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: IpcErrorPayload }
  | { t: 'event'; channel: string; payload: unknown }
  | { t: 'error'; error: IpcErrorPayload };

/** A bidirectional message link seen from the renderer side. */
export interface RendererLink {
  send(message: ToHost): void;
  /** Registers the single message handler of the link. */
  onMessage(handler: (message: ToRenderer) => void): void;
  /** Registers a handler for the link going away (host stopped, socket closed). */
  onClose?(handler: (reason: string) => void): void;
}

/** The error a client call rejects with. */
export class IpcError extends Error {
  override readonly name = 'IpcError';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly issues?: IpcErrorPayload['issues'],
  ) {
    super(message);
  }
}

/** The one Electron IPC channel that carries the wire protocol, in both directions. */
export const WIRE_CHANNEL = 'loopwright:wire';
