import type { TransportTrafficEvent } from '../../../shared/engine/observer-events';
import type { TransportEvent, TransportKind } from '../../../shared/engine/transport-events';
import { base64ByteLength } from '../../../shared/engine/base64';
import type { HostConnectionEventInfo } from '../../../shared/runs/run';

/** Bytes that crossed a transport: `out` was sent by this tab's side, `in` received by it. */
export interface DataRecord {
  seq: number;
  kind: 'data';
  /** Seconds since the run started (loop time for the run's transports). */
  time: number;
  direction: 'in' | 'out';
  /** Base64, decoded only when shown; empty when `uncaptured`. */
  data: string;
  size: number;
  /** Counted without its bytes: this window was sent only the count (a flood, or a run without payloads). */
  uncaptured?: true;
  /** The pipe (stdin, stdout, stderr) of a subprocess, or a datagram's address. */
  channel?: string;
}

/** Something that happened to the transport (EOF, closed, exited), shown as a dim line. */
export interface NoteRecord {
  seq: number;
  kind: 'note';
  time: number;
  text: string;
  tone?: 'error';
}

export type TrafficRecord = DataRecord | NoteRecord;

/** What a terminal tab is about. */
export interface TerminalTab {
  /** `t<transportId>` for the run's transports, `c<connectionId>` for connections from the host. */
  key: string;
  source: 'run' | 'host';
  kind: TransportKind | 'host';
  title: string;
  detail: string;
  transportId?: number;
  connectionId?: number;
  state: 'open' | 'closing' | 'closed';
  /** Whether typing has somewhere to go: a connection, a subprocess's stdin, a write pipe. */
  writable: boolean;
  /** Why not, when it is not. */
  readOnlyReason?: string;
  bytesIn: number;
  bytesOut: number;
}

const PIPE_NAMES: Record<number, string> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };

/** What a note weighs against the log's budget: notes are kept like bytes, so a stream of them stays bounded too. */
const NOTE_WEIGHT = 32;

/** What a record weighs against the log's budget: its bytes when it holds them, else a note's weight. */
function weightOf(record: Omit<DataRecord, 'seq'> | Omit<NoteRecord, 'seq'>): number {
  return record.kind === 'data' && !record.uncaptured ? record.size : NOTE_WEIGHT;
}

/**
 * One tab's traffic. The newest `retainBytes` of data are kept for redrawing (switching tabs or
 * the text/hex view); totals count everything. Every record has a byte offset (the data bytes
 * added before it), so a reader that fell behind can tell how many bytes it did not see.
 */
export class TrafficLog {
  private records: TrafficRecord[] = [];
  /** Data bytes added before each kept record (parallel to `records`). */
  private offsets: number[] = [];
  private firstSeq = 0;
  private nextSeq = 0;
  private retained = 0;
  /** Data bytes added before the first kept record, and in all. */
  private firstOffset = 0;
  private endOffset = 0;
  /** Bytes no longer kept (the replay adds what a recording left out). */
  forgottenBytes = 0;

  constructor(readonly retainBytes = 1024 * 1024) {}

  get first(): number {
    return this.firstSeq;
  }

  get end(): number {
    return this.nextSeq;
  }

  /** The record with this sequence number, if kept. */
  get(seq: number): TrafficRecord | undefined {
    return seq >= this.firstSeq && seq < this.nextSeq ? this.records[seq - this.firstSeq] : undefined;
  }

  /** Data bytes added before record `seq` (`first` ≤ seq ≤ `end`; clamped to that range). */
  offsetOf(seq: number): number {
    if (seq <= this.firstSeq) return this.firstOffset;
    if (seq >= this.nextSeq) return this.endOffset;
    return this.offsets[seq - this.firstSeq];
  }

  add(record: Omit<DataRecord, 'seq'> | Omit<NoteRecord, 'seq'>): void {
    this.records.push({ ...record, seq: this.nextSeq++ } as TrafficRecord);
    this.offsets.push(this.endOffset);
    this.endOffset += record.kind === 'data' ? record.size : 0;
    this.retained += weightOf(record);
    // Drop the oldest records past the budget, in bulk (a splice per record would be quadratic).
    if (this.retained > this.retainBytes * 1.25) {
      let drop = 0;
      while (drop < this.records.length - 1 && this.retained > this.retainBytes) {
        const old = this.records[drop++];
        this.retained -= weightOf(old);
        if (old.kind === 'data') this.forgottenBytes += old.size;
      }
      this.records.splice(0, drop);
      this.offsets.splice(0, drop);
      this.firstSeq += drop;
      this.firstOffset = this.offsets[0];
    }
  }
}

function endpoint(peer: string | null, local: string | null): string {
  return peer ?? local ?? 'unconnected';
}

/**
 * The terminal's tabs of one run, built from transport events and the host's connection events:
 * a tab per TCP connection, UDP endpoint, pipe and subprocess (whose stdin, stdout and stderr pipes
 * share its tab, so that an answer shows under the line that asked for it), and one per connection
 * the user opened with Connect.
 */
export class TrafficTabs {
  readonly tabs: TerminalTab[] = [];
  private readonly logs = new Map<string, TrafficLog>();
  /** Pipe transport id → the tab and pipe name it belongs to. */
  private readonly pipes = new Map<number, { key: string; name: string; fd: number }>();
  /** What `transport-opened` said about each transport (snapshots leave a pipe's fd and parent out). */
  readonly opened = new Map<number, { fd?: number; parentId?: number; pid?: number }>();
  /** Listening servers: id → display addresses (for Connect's suggestions). */
  readonly servers = new Map<number, string[]>();
  /**
   * Loop time at the run's wall-clock start, so that the host's connections (timed by the wall
   * clock) show on the loop's time line beside the run's own transports. Set from snapshots.
   */
  loopOffset = 0;

  /** Wall-clock start of the run, to place host events on the run's time line. */
  constructor(private readonly startedAt: number) {}

  private hostTime(wallMs: number): number {
    return (wallMs - this.startedAt) / 1000 + this.loopOffset;
  }

  log(key: string): TrafficLog | undefined {
    return this.logs.get(key);
  }

  tab(key: string): TerminalTab | undefined {
    return this.tabs.find((t) => t.key === key);
  }

  /** Ports the run listens on, for Connect. */
  listeningPorts(): number[] {
    const ports = new Set<number>();
    for (const sockets of this.servers.values()) {
      for (const s of sockets) {
        const port = Number(/:(\d+)$/.exec(s)?.[1]);
        if (port > 0) ports.add(port);
      }
    }
    return [...ports];
  }

  private addTab(tab: TerminalTab): TrafficLog {
    const existing = this.logs.get(tab.key);
    if (existing) return existing;
    this.tabs.push(tab);
    const log = new TrafficLog();
    this.logs.set(tab.key, log);
    return log;
  }

  /** Applies a transport event; returns whether the list of tabs (or a tab's state) changed. */
  apply(e: TransportEvent | TransportTrafficEvent): { tabs: boolean; traffic: boolean } {
    switch (e.type) {
      case 'transport-opened': {
        this.opened.set(e.transportId, { fd: e.fd, parentId: e.parentId, pid: e.pid });
        if (e.kind === 'pipe' && e.parentId !== undefined && this.logs.has(`t${e.parentId}`)) {
          const key = `t${e.parentId}`;
          const name = PIPE_NAMES[e.fd ?? -1] ?? `fd ${e.fd}`;
          this.pipes.set(e.transportId, { key, name, fd: e.fd ?? -1 });
          this.logs.get(key)!.add({ kind: 'note', time: e.time, text: `${name} open` });
          return { tabs: false, traffic: true };
        }
        const key = `t${e.transportId}`;
        const tab: TerminalTab = {
          key,
          source: 'run',
          kind: e.kind,
          title: '',
          detail: '',
          transportId: e.transportId,
          state: 'open',
          writable: true,
          bytesIn: 0,
          bytesOut: 0,
        };
        switch (e.kind) {
          case 'tcp':
            tab.title = `TCP ${endpoint(e.peer, e.local)}`;
            tab.detail = `TCP connection #${e.transportId}: ${e.local ?? '?'} ↔ ${e.peer ?? '?'}${e.serverId !== undefined ? ` (accepted by server #${e.serverId})` : ''}`;
            break;
          case 'udp':
            tab.title = `UDP ${e.local ?? endpoint(e.peer, null)}`;
            tab.detail = `UDP endpoint #${e.transportId}: local ${e.local ?? '?'}${e.peer ? `, connected to ${e.peer}` : ''}`;
            tab.writable = false;
            tab.readOnlyReason = 'A datagram endpoint sends with sendto(data, addr): the scenario chooses where datagrams go.';
            break;
          case 'subprocess': {
            const program = (e.program ?? e.peer ?? 'process').split(/[\\/]/).pop();
            tab.title = `${program} (pid ${e.pid ?? '?'})`;
            tab.detail = `Subprocess #${e.transportId}: ${e.program ?? e.peer ?? '?'}, pid ${e.pid ?? '?'}. Typing goes to its stdin.`;
            break;
          }
          case 'pipe': {
            const name = PIPE_NAMES[e.fd ?? -1] ?? 'pipe';
            tab.title = `Pipe ${name}`;
            tab.detail = `Pipe transport #${e.transportId}${e.fd !== undefined ? ` (fd ${e.fd})` : ''}`;
            break;
          }
          default:
            tab.title = `${e.kind} #${e.transportId}`;
            tab.detail = `Transport #${e.transportId}`;
        }
        const log = this.addTab(tab);
        log.add({ kind: 'note', time: e.time, text: `opened: ${tab.detail}` });
        return { tabs: true, traffic: true };
      }
      case 'transport-data':
      case 'transport-traffic': {
        const target = this.route(e.transportId);
        if (!target) return { tabs: false, traffic: false };
        const tab = this.tab(target.key)!;
        if (e.direction === 'in') tab.bytesIn += e.size;
        else tab.bytesOut += e.size;
        this.logs.get(target.key)!.add({
          kind: 'data',
          time: e.time,
          direction: e.direction,
          data: e.type === 'transport-data' ? e.data : '',
          size: e.size,
          ...(e.type === 'transport-traffic' ? { uncaptured: true as const } : {}),
          ...(target.pipe ? { channel: target.pipe } : e.addr ? { channel: e.addr } : {}),
        });
        return { tabs: false, traffic: true };
      }
      case 'transport-eof':
        return this.note(e.transportId, e.time, e.direction === 'in' ? 'EOF received' : 'EOF sent (writeEof)');
      case 'transport-flow':
        return this.note(e.transportId, e.time, `${e.what.replace('-', ' ')} (write buffer ${e.writeBufferSize} B)`);
      case 'transport-closing':
        return this.note(e.transportId, e.time, e.abort ? 'aborted' : 'closing', 'closing');
      case 'transport-lost':
        return this.note(e.transportId, e.time, e.error ? `connection lost: ${e.error.name}: ${e.error.message}` : 'closed', 'closed', e.error ? 'error' : undefined);
      case 'transport-error':
        return this.note(e.transportId, e.time, `${e.error.name}: ${e.error.message}`, undefined, 'error');
      case 'process-exited':
        return this.note(e.transportId, e.time, `process ${e.pid} exited with code ${e.returncode}`, 'closing');
      case 'server-listening':
        this.servers.set(e.serverId, e.sockets);
        return { tabs: true, traffic: false };
      case 'server-closed':
        this.servers.delete(e.serverId);
        return { tabs: true, traffic: false };
      default:
        // Reads from the operating system and write-buffer sizes: the inspector's snapshot shows them.
        return { tabs: false, traffic: false };
    }
  }

  private route(transportId: number): { key: string; pipe?: string } | undefined {
    const pipe = this.pipes.get(transportId);
    if (pipe) return { key: pipe.key, pipe: pipe.name };
    const key = `t${transportId}`;
    return this.logs.has(key) ? { key } : undefined;
  }

  private note(transportId: number, time: number, text: string, state?: TerminalTab['state'], tone?: 'error'): { tabs: boolean; traffic: boolean } {
    const target = this.route(transportId);
    if (!target) return { tabs: false, traffic: false };
    const tab = this.tab(target.key)!;
    this.logs.get(target.key)!.add({ kind: 'note', time, text: target.pipe ? `${target.pipe}: ${text}` : text, ...(tone ? { tone } : {}) });
    // A subprocess's pipes closing do not close its tab; the process's own events do.
    if (!state || target.pipe) {
      if (target.pipe === 'stdin' && (state === 'closed' || state === 'closing')) {
        tab.writable = false;
        tab.readOnlyReason = 'The child’s stdin is closed.';
        return { tabs: true, traffic: true };
      }
      return { tabs: false, traffic: true };
    }
    const changed = tab.state !== state;
    tab.state = state;
    if (state === 'closed' || (state === 'closing' && tab.kind === 'subprocess')) {
      tab.writable = false;
      tab.readOnlyReason = state === 'closed' ? 'The transport is closed.' : 'The process has exited.';
    }
    return { tabs: changed || state !== 'open', traffic: true };
  }

  /** Ports of the host's connections, by connection id (known once `connect` answers). */
  private readonly ports = new Map<number, number>();

  /** Applies an event of a connection the host opened to the run (Connect). */
  applyHost(e: HostConnectionEventInfo): { tabs: boolean; traffic: boolean } {
    const port = this.ports.get(e.connectionId);
    const key = `c${e.connectionId}`;
    const time = this.hostTime(e.time);
    let log = this.logs.get(key);
    if (!log) {
      log = this.addTab({
        key,
        source: 'host',
        kind: 'host',
        title: `Connect #${e.connectionId}${port ? ` → :${port}` : ''}`,
        detail: `A connection from the host (like netcat)${port ? ` to 127.0.0.1:${port}` : ''}. Typing sends a line.`,
        connectionId: e.connectionId,
        state: 'open',
        writable: true,
        bytesIn: 0,
        bytesOut: 0,
      });
      log.add({ kind: 'note', time, text: `connected${port ? ` to 127.0.0.1:${port}` : ''}` });
      if (e.kind === 'open') return { tabs: true, traffic: true };
    }
    const tab = this.tab(key)!;
    switch (e.kind) {
      case 'open':
        return { tabs: false, traffic: false };
      case 'data': {
        const size = e.size ?? (e.data ? base64ByteLength(e.data) : 0);
        const direction = e.direction ?? 'in';
        if (direction === 'in') tab.bytesIn += size;
        else tab.bytesOut += size;
        // Without its bytes: past the window's traffic allowance, counted only (as a run's transport-traffic).
        log.add({ kind: 'data', time, direction, data: e.data ?? '', size, ...(e.data === undefined ? { uncaptured: true as const } : {}) });
        return { tabs: false, traffic: true };
      }
      case 'eof':
        log.add({ kind: 'note', time, text: 'EOF received: the run closed its side' });
        return { tabs: false, traffic: true };
      case 'error':
        log.add({ kind: 'note', time, text: e.message ?? 'error', tone: 'error' });
        return { tabs: false, traffic: true };
      case 'close':
        log.add({ kind: 'note', time, text: 'closed' });
        tab.state = 'closed';
        tab.writable = false;
        tab.readOnlyReason = 'The connection is closed.';
        return { tabs: true, traffic: true };
    }
  }

  /** Names a host connection's port once `connect` has answered (its `open` event may come first). */
  setPort(connectionId: number, port: number): void {
    this.ports.set(connectionId, port);
    const tab = this.tab(`c${connectionId}`);
    if (!tab) return;
    tab.title = `Connect #${connectionId} → :${port}`;
    tab.detail = `A connection from the host (like netcat) to 127.0.0.1:${port}. Typing sends a line.`;
  }

  /** The host connection was half-closed by us (end of input). */
  inputClosed(key: string, wallMs: number): void {
    const time = this.hostTime(wallMs);
    const tab = this.tab(key);
    const log = this.logs.get(key);
    if (!tab || !log) return;
    log.add({ kind: 'note', time, text: 'EOF sent: end of input' });
    tab.writable = false;
    tab.readOnlyReason = 'You ended the input (Ctrl+D).';
  }

  /** The run ended: every tab is closed for input. */
  closeAll(): void {
    for (const tab of this.tabs) {
      if (tab.state !== 'closed') tab.state = 'closed';
      tab.writable = false;
      tab.readOnlyReason = 'The run has ended.';
    }
  }
}
