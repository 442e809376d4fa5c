import type { z } from 'zod';
import { lookup, type ContractSpec, type ImplementationOf } from '../../shared/ipc/define';
import { ToHostSchema, type IpcErrorPayload, type ToRenderer } from '../../shared/ipc/wire';

/** Where the router reports refused calls; one line per refusal. */
export type RouterLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** One connected renderer (an Electron window or a WebSocket client). */
export interface RouterPeer {
  /** Feeds one raw message from the renderer; never throws. */
  receive(raw: unknown): Promise<void>;
  /** Drops the peer's subscriptions. */
  dispose(): void;
}

function issuesOf(error: z.ZodError): NonNullable<IpcErrorPayload['issues']> {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
}

function describe(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}

/**
 * The host's single choke point for IPC: every call from every renderer passes here, is checked
 * against the contract's schemas, and is dispatched to a service. Bad input gets a typed error
 * back, never a crash. Events are validated before they are published, so a host bug cannot send
 * a renderer something the contract does not describe.
 */
export class Router<C extends ContractSpec> {
  private readonly peers = new Set<{ send(message: ToRenderer): void; channels: Set<string> }>();

  constructor(
    private readonly contract: C,
    private readonly services: ImplementationOf<C>,
    private readonly log: RouterLog,
  ) {}

  /** Dispatches one call. Resolves to the wire result; never rejects. */
  async call(channel: string, args: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: IpcErrorPayload }> {
    const spec = lookup(this.contract, channel);
    if (!spec || spec.kind !== 'method') {
      return this.refuse('unknown-channel', `unknown channel "${channel}"`);
    }
    const params = spec.params.safeParse(args);
    if (!params.success) {
      const issues = issuesOf(params.error);
      return this.refuse('invalid-payload', `invalid arguments for "${channel}": ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
    const [service, name] = [channel.slice(0, channel.indexOf('.')), channel.slice(channel.indexOf('.') + 1)];
    const handler = (this.services as Record<string, Record<string, (...a: unknown[]) => unknown>>)[service]?.[name];
    if (!handler) return this.refuse('unknown-channel', `no handler for "${channel}"`);
    let value: unknown;
    try {
      value = await handler(...(params.data as unknown[]));
    } catch (error) {
      return this.refuse('handler-failed', `"${channel}" failed: ${describe(error)}`);
    }
    const result = spec.result.safeParse(value);
    if (!result.success) {
      return this.refuse('handler-failed', `"${channel}" returned a value outside the contract: ${issuesOf(result.error).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    }
    return { ok: true, value: result.data };
  }

  /** Publishes an event to every peer subscribed to its channel. Throws on a host bug (bad payload). */
  publish(channel: string, payload: unknown): void {
    const spec = lookup(this.contract, channel);
    if (!spec || spec.kind !== 'event') throw new Error(`not an event channel: "${channel}"`);
    const data = spec.payload.parse(payload);
    for (const peer of this.peers) {
      if (peer.channels.has(channel)) peer.send({ t: 'event', channel, payload: data });
    }
  }

  /** Number of connected peers (for tests and the status bar). */
  get peerCount(): number {
    return this.peers.size;
  }

  /** Connects a renderer whose messages arrive through `receive` and leave through `send`. */
  connect(send: (message: ToRenderer) => void): RouterPeer {
    const peer = { send, channels: new Set<string>() };
    this.peers.add(peer);
    return {
      receive: async (raw) => {
        const parsed = ToHostSchema.safeParse(raw);
        if (!parsed.success) {
          const error = this.refuse('bad-message', `malformed IPC message: ${issuesOf(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ')}`).error;
          send({ t: 'error', error });
          return;
        }
        const message = parsed.data;
        if (message.t === 'call') {
          const result = await this.call(message.channel, message.args);
          if (this.peers.has(peer)) send({ t: 'result', id: message.id, ...result });
          return;
        }
        const spec = lookup(this.contract, message.channel);
        if (!spec || spec.kind !== 'event') {
          send({ t: 'error', error: this.refuse('unknown-channel', `cannot subscribe to unknown event channel "${message.channel}"`).error });
          return;
        }
        if (message.t === 'subscribe') peer.channels.add(message.channel);
        else peer.channels.delete(message.channel);
      },
      dispose: () => {
        this.peers.delete(peer);
      },
    };
  }

  private refuse(code: IpcErrorPayload['code'], message: string, issues?: IpcErrorPayload['issues']): { ok: false; error: IpcErrorPayload } {
    this.log('warn', `IPC refused (${code}): ${message}`);
    return { ok: false, error: issues ? { code, message, issues } : { code, message } };
  }
}
