// asciinema cast v2 export of the terminal traffic: the bytes of one transport, or of all of them
// with a coloured label line whenever the transport or the direction changes. A cast is a JSON
// header line, then one `[seconds, "o", text]` line per chunk; `asciinema play` replays it with the
// recording's timing and `asciinema cat` prints the text.
import { TextDecoder } from 'node:util';
import { decodeBytes } from '../../../shared/engine/base64';
import type { RecordingHeader, RecordingLine } from '../../../shared/recording/format';
import { trafficLabel } from '../../../shared/recording/replay-view';
import type { TrafficSource } from '../../../shared/recording/replay-timeline';
import type { ExportSink } from './pcapng-export';

/** Terminal text for bytes: UTF-8 (invalid sequences replaced), bare line feeds as CR LF. */
function terminalText(bytes: Uint8Array, decoder: TextDecoder): string {
  return decoder.decode(bytes, { stream: true }).replace(/\r?\n/g, '\r\n');
}

/** Builds the cast from the recording's lines, in order. */
export class CastExporter {
  private readonly sources = new Map<number, TrafficSource>();
  private readonly decoders = new Map<string, TextDecoder>();
  private origin: number | null = null;
  private lastTime = 0;
  private lastLabel = '';
  private chunks = 0;
  private bytes = 0;

  constructor(
    private readonly header: RecordingHeader,
    private readonly emit: ExportSink,
    /** Only this transport (and, for a subprocess, its pipes); all transports when undefined. */
    private readonly transportId?: number,
  ) {
    emit(
      `${JSON.stringify({
        version: 2,
        width: 100,
        height: 30,
        timestamp: Math.floor(Date.parse(header.startedAt) / 1000),
        title: `Loopwright: ${header.scenario.path}${transportId === undefined ? ' (all transports)' : ` (transport #${transportId})`}`,
        env: { TERM: 'xterm-256color', SHELL: '' },
      })}\n`,
    );
  }

  private wanted(id: number): boolean {
    if (this.transportId === undefined || id === this.transportId) return true;
    return this.sources.get(id)?.parentId === this.transportId;
  }

  private out(time: number, text: string): void {
    if (this.origin === null) this.origin = time;
    // Cast times never go back.
    const t = Math.max(this.lastTime, time - this.origin);
    this.lastTime = t;
    this.emit(`${JSON.stringify([Math.round(t * 1e6) / 1e6, 'o', text])}\n`);
  }

  /** Feeds the next line. */
  add(line: RecordingLine): void {
    if (line.kind !== 'event') return;
    const e = line.event;
    // Times count from the recording's first event, so the cast keeps the run's own timing.
    if (this.origin === null) this.origin = e.time;
    if (e.type === 'transport-opened') {
      const source: TrafficSource = { transportId: e.transportId, kind: e.kind, peer: e.peer, local: e.local, openedSeq: line.seq };
      if (e.pid !== undefined) source.pid = e.pid;
      if (e.program !== undefined) source.program = e.program;
      if (e.fd !== undefined) source.fd = e.fd;
      if (e.parentId !== undefined) source.parentId = e.parentId;
      this.sources.set(e.transportId, source);
      return;
    }
    if (e.type !== 'transport-data' || !this.wanted(e.transportId)) return;
    const bytes = decodeBytes(e.data);
    const decoderKey = `${e.transportId}:${e.direction}`;
    let decoder = this.decoders.get(decoderKey);
    if (decoder === undefined) this.decoders.set(decoderKey, (decoder = new TextDecoder('utf-8', { fatal: false })));
    let text = terminalText(bytes, decoder);
    const showLabels = this.transportId === undefined || this.sources.get(this.transportId)?.kind === 'subprocess';
    if (showLabels) {
      const source = this.sources.get(e.transportId);
      const name = source ? trafficLabel(source, this.sources) : `transport #${e.transportId}`;
      const label = `#${e.transportId} ${name} ${e.direction === 'out' ? 'sent' : 'received'}${e.addr ? ` (${e.direction === 'out' ? 'to' : 'from'} ${e.addr})` : ''}`;
      if (label !== this.lastLabel) {
        // Cyan for what the loop sent, yellow for what it received.
        text = `${this.lastLabel === '' ? '' : '\r\n'}\x1b[${e.direction === 'out' ? 36 : 33}m[${label}]\x1b[0m\r\n${text}`;
        this.lastLabel = label;
      }
    }
    this.chunks++;
    this.bytes += bytes.length;
    if (text !== '') this.out(e.time, text);
  }

  /** Ends the cast. */
  finish(): { chunks: number; bytes: number; notes: string[] } {
    const notes: string[] = [];
    if (this.chunks === 0) notes.push(this.transportId === undefined ? 'the recording has no traffic: the cast is empty' : `transport #${this.transportId} carried no traffic: the cast is empty`);
    return { chunks: this.chunks, bytes: this.bytes, notes };
  }
}
