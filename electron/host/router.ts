import type { z } from 'zod';
import { lookup, type BulkAllowance, type ContractSpec, type EventSpec, type ImplementationOf } from '../../shared/ipc/define';
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
interface Peer {
  send(message: ToRenderer): void;
  congested?: () => boolean;
  channels: Set<string>;
  /** `latest` payloads held back while the link is congested, by channel and key. */
  latest: Map<string, { channel: string; payload: unknown }>;
  /** `bounded` items dropped while congested, by channel and key, reported in the next payload. */
  dropped: Map<string, { channel: string; key: string; count: number }>;
  /** What is left of each stream's bulk allowance, by channel and key, and when it was last refilled. */
  allowances: Map<string, { bytes: number; at: number }>;
  drainTimer: ReturnType<typeof setInterval> | undefined;
}

/** How often a congested link is checked for having drained. */
const DRAIN_CHECK_MS = 50;
/** Bulk allowances a peer keeps (one per channel and run) before starting afresh. */
const MAX_ALLOWANCES = 64;

function keyOf(payload: unknown): string {
  const runId = (payload as { runId?: unknown } | null)?.runId;
  return typeof runId === 'string' ? runId : '';
}

export class Router<C extends ContractSpec> {
  private readonly peers = new Set<Peer>();

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
    const data = spec.validate ? spec.payload.parse(payload) : payload;
    for (const peer of this.peers) {
      if (peer.channels.has(channel)) this.deliver(peer, channel, spec, data);
    }
  }

  /** Sends one event to one peer, by the event's delivery policy when the peer is congested. */
  private deliver(peer: Peer, channel: string, spec: EventSpec, payload: unknown): void {
    const key = `${channel}\u0000${keyOf(payload)}`;
    if (spec.policy !== 'reliable' && peer.congested?.()) {
      if (spec.policy === 'latest') {
        peer.latest.set(key, { channel, payload });
      } else {
        const count = spec.measure ? spec.measure(payload as never) : 1;
        const entry = peer.dropped.get(key) ?? { channel, key: keyOf(payload), count: 0 };
        entry.count += count;
        peer.dropped.set(key, entry);
      }
      peer.drainTimer ??= setInterval(() => this.drain(peer), DRAIN_CHECK_MS);
      return;
    }
    let data = payload;
    const dropped = peer.dropped.get(key);
    if (dropped && spec.policy === 'bounded') {
      peer.dropped.delete(key);
      data = { ...(payload as object), dropped: dropped.count + ((payload as { dropped?: number }).dropped ?? 0) };
    }
    peer.latest.delete(key);
    if (spec.bulk) data = this.fitBulk(peer, key, spec.bulk, data);
    peer.send({ t: 'event', channel, payload: data });
  }

  /** Cuts a payload's bulk down to the peer's allowance for its stream, refilled at the stream's rate. */
  private fitBulk(peer: Peer, key: string, bulk: BulkAllowance<never>, payload: unknown): unknown {
    const now = performance.now();
    let allowance = peer.allowances.get(key);
    if (!allowance) {
      // One entry per run a window watched: forget them all now and then rather than track run ends.
      if (peer.allowances.size >= MAX_ALLOWANCES) peer.allowances.clear();
      allowance = { bytes: bulk.bytesPerSecond, at: now };
      peer.allowances.set(key, allowance);
    }
    allowance.bytes = Math.min(bulk.bytesPerSecond, allowance.bytes + ((now - allowance.at) / 1000) * bulk.bytesPerSecond);
    allowance.at = now;
    const fitted = bulk.fit(payload as never, Math.max(0, Math.floor(allowance.bytes)));
    allowance.bytes -= fitted.used;
    return fitted.payload;
  }

  /** Once a congested link drains: sends the held-back latest payloads and the drop counts. */
  private drain(peer: Peer): void {
    if (peer.congested?.()) return;
    clearInterval(peer.drainTimer);
    peer.drainTimer = undefined;
    for (const { channel, payload } of peer.latest.values()) peer.send({ t: 'event', channel, payload });
    peer.latest.clear();
    for (const { channel, key, count } of peer.dropped.values()) {
      const spec = lookup(this.contract, channel) as EventSpec | undefined;
      if (spec?.dropNotice) peer.send({ t: 'event', channel, payload: spec.dropNotice(key, count) });
    }
    peer.dropped.clear();
  }

  /** Number of connected peers (for tests and the status bar). */
  get peerCount(): number {
    return this.peers.size;
  }

  /**
   * Connects a renderer whose messages arrive through `receive` and leave through `send`.
   * `congested` tells when the link's outgoing buffer is full (browser mode's WebSocket), so that
   * snapshots coalesce and streams drop with a count instead of growing memory without bound.
   */
  connect(send: (message: ToRenderer) => void, options: { congested?: () => boolean } = {}): RouterPeer {
    const peer: Peer = { send, congested: options.congested, channels: new Set<string>(), latest: new Map(), dropped: new Map(), allowances: new Map(), drainTimer: undefined };
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
        clearInterval(peer.drainTimer);
        this.peers.delete(peer);
      },
    };
  }

  private refuse(code: IpcErrorPayload['code'], message: string, issues?: IpcErrorPayload['issues']): { ok: false; error: IpcErrorPayload } {
    this.log('warn', `IPC refused (${code}): ${message}`);
    return { ok: false, error: issues ? { code, message, issues } : { code, message } };
  }
}
