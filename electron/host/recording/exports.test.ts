import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { decodeBytes } from '../../../shared/engine/base64';
import { exportRecording } from './export-recording';
import { PcapngExporter } from './pcapng-export';
import { RecordingFile } from './recording-file';
import { recordingHeader } from './recording-writer';
import { libraryScenario, recordRun, tool } from './test-recordings';
import type { TraceEvent } from './trace-export';

let dir: string;
const recordings: Record<string, RecordingFile> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-exports-'));
  for (const name of ['tcp-echo-protocol', 'udp-echo', 'subprocess-line-protocol', 'ten-tasks', 'flow-control']) {
    const out = path.join(dir, `${name}.lwrec`);
    const { result } = await recordRun(libraryScenario(name), out);
    expect(result.state).toBe('finished');
    recordings[name] = await RecordingFile.open(out);
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exported(name: string, format: 'pcapng' | 'trace' | 'cast', options: { transportId?: number } = {}) {
  const file = path.join(dir, `${name}-${format}-${options.transportId ?? 'all'}`);
  const result = await exportRecording(recordings[name], format, file, options);
  return { file, result };
}

/** What the recording says the transports wrote, one entry per write, in order. */
function written(recording: RecordingFile, kind: 'tcp' | 'udp'): string[] {
  const out: string[] = [];
  for (const line of recording.range(1, recording.lineCount)) {
    if (line.kind !== 'event' || line.event.type !== 'transport-data' || line.event.kind !== kind || line.event.direction !== 'out') continue;
    out.push(new TextDecoder().decode(decodeBytes(line.event.data)));
  }
  return out;
}

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The blocks of a pcapng file: type, and for packets the captured bytes and the comment. */
function pcapngBlocks(bytes: Buffer): { type: number; packet?: Buffer; comment?: string }[] {
  const blocks: { type: number; packet?: Buffer; comment?: string }[] = [];
  for (let at = 0; at < bytes.length; ) {
    const type = bytes.readUInt32LE(at);
    const length = bytes.readUInt32LE(at + 4);
    expect(length % 4).toBe(0);
    expect(bytes.readUInt32LE(at + length - 4)).toBe(length);
    if (type === 6) {
      const captured = bytes.readUInt32LE(at + 20);
      const packet = bytes.subarray(at + 28, at + 28 + captured);
      let opt = at + 28 + Math.ceil(captured / 4) * 4;
      let comment: string | undefined;
      while (opt < at + length - 4) {
        const code = bytes.readUInt16LE(opt);
        const len = bytes.readUInt16LE(opt + 2);
        if (code === 0) break;
        if (code === 1) comment = bytes.toString('utf8', opt + 4, opt + 4 + len);
        opt += 4 + Math.ceil(len / 4) * 4;
      }
      blocks.push({ type, packet, comment });
    } else blocks.push({ type });
    at += length;
  }
  return blocks;
}

const tshark = tool('tshark');
const asciinema = tool('asciinema');
const script = tool('script');

describe('pcapng export', { timeout: 60_000 }, () => {
  it('is a section header, an interface description and enhanced packets, each with a comment naming its transport and callback', async () => {
    const { file } = await exported('tcp-echo-protocol', 'pcapng');
    const blocks = pcapngBlocks(readFileSync(file));
    expect(blocks[0].type).toBe(0x0a0d0d0a);
    expect(blocks[1].type).toBe(1);
    const packets = blocks.slice(2);
    expect(packets.length).toBeGreaterThanOrEqual(7);
    for (const p of packets) {
      expect(p.type).toBe(6);
      expect(p.packet![0] >> 4).toBe(4); // IPv4
      expect(p.comment).toMatch(/^transport #\d+ \(tcp\): /);
    }
    // The echo server writes from dataReceived, which the loop runs inside a _readReady callback.
    expect(packets.some((p) => /byte\(s\) written by callback _readReady \(handle #\d+\)/.test(p.comment!))).toBe(true);
  });

  it('exports the same recording to the same bytes', async () => {
    const a = await exported('tcp-echo-protocol', 'pcapng');
    const again = path.join(dir, 'again.pcapng');
    await exportRecording(recordings['tcp-echo-protocol'], 'pcapng', again);
    expect(readFileSync(again).equals(readFileSync(a.file))).toBe(true);
  });

  it.skipIf(!tshark.available)(`tshark lists the TCP conversation and "follow,tcp,ascii,0" shows the exact bytes${tshark.reason ? ` (skipped: ${tshark.reason})` : ''}`, async () => {
    const { file } = await exported('tcp-echo-protocol', 'pcapng');
    const conv = run('tshark', ['-r', file, '-q', '-z', 'conv,tcp']);
    expect(conv).toMatch(/127\.0\.0\.1:\d+\s+<->\s+127\.0\.0\.1:\d+/);
    expect(conv.match(/<->/g)).toHaveLength(1);
    const follow = run('tshark', ['-r', file, '-q', '-z', 'follow,tcp,ascii,0']);
    const sent = written(recordings['tcp-echo-protocol'], 'tcp');
    expect(sent).toEqual(['Hello World!', 'Hello World!']);
    // Both directions, each the exact bytes with its length, in order.
    expect(follow).toContain('12\nHello World!\n\t12\nHello World!');
    const flags = run('tshark', ['-r', file, '-T', 'fields', '-e', 'tcp.flags.str']);
    expect(flags).toMatch(/S/);
    expect(flags).toMatch(/F/);
    const expert = run('tshark', ['-r', file, '-q', '-z', 'expert,error']);
    expect(expert).not.toMatch(/Malformed/);
  });

  it.skipIf(!tshark.available)(`tshark reads the UDP datagrams with their payloads${tshark.reason ? ` (skipped: ${tshark.reason})` : ''}`, async () => {
    const { file } = await exported('udp-echo', 'pcapng');
    const conv = run('tshark', ['-r', file, '-q', '-z', 'conv,udp']);
    expect(conv).toMatch(/127\.0\.0\.1:\d+\s+<->\s+127\.0\.0\.1:\d+/);
    const payloads = run('tshark', ['-r', file, '-T', 'fields', '-e', 'data.data']).trim().split('\n');
    const expected = written(recordings['udp-echo'], 'udp').join('');
    expect(Buffer.from(payloads.join(''), 'hex').toString('utf8')).toBe(expected);
  });

  it.skipIf(!tshark.available)(`an IPv6 connection to a peer outside the run keeps both directions, from its writes and its reads${tshark.reason ? ` (skipped: ${tshark.reason})` : ''}`, () => {
    const header = recordingHeader({ appVersion: 'test', platform: 'test', scenarioPath: 'x.ts', source: '', clock: 'real' });
    const events: EngineEvent[] = [
      { type: 'transport-opened', time: 1, transportId: 5, kind: 'tcp', peer: '[::1]:7000', local: '[::1]:40000' },
      { type: 'transport-data', time: 1.1, transportId: 5, kind: 'tcp', direction: 'out', data: Buffer.from('ping\n').toString('base64'), size: 5 },
      { type: 'transport-received', time: 1.2, transportId: 5, size: 5 },
      { type: 'transport-data', time: 1.2, transportId: 5, kind: 'tcp', direction: 'in', data: Buffer.from('pong\n').toString('base64'), size: 5 },
      { type: 'transport-eof', time: 1.3, transportId: 5, direction: 'in' },
      { type: 'transport-lost', time: 1.4, transportId: 5, error: null },
    ];
    const pieces: Buffer[] = [];
    const exporter = new PcapngExporter(header, (p) => pieces.push(Buffer.from(p)));
    events.forEach((event, i) => exporter.add({ seq: i + 1, wall: 0, kind: 'event', event }));
    exporter.finish();
    const file = path.join(dir, 'v6.pcapng');
    writeFileSync(file, Buffer.concat(pieces));
    expect(run('tshark', ['-r', file, '-q', '-z', 'conv,ipv6'])).toMatch(/::1\s+<->\s+::1/);
    const follow = run('tshark', ['-r', file, '-q', '-z', 'follow,tcp,ascii,0']);
    expect(follow).toContain('5\nping\n\n\t5\npong\n');
    const flags = run('tshark', ['-r', file, '-T', 'fields', '-e', 'tcp.flags.str']).trim().split('\n');
    expect(flags).toHaveLength(7); // SYN, SYN-ACK, ACK, data, data, the peer's FIN, our FIN
  });

  it.skipIf(!tshark.available)(`megabytes in 64 KiB writes are split into segments whose sequence numbers add up to every byte${tshark.reason ? ` (skipped: ${tshark.reason})` : ''}`, async () => {
    const { file } = await exported('flow-control', 'pcapng');
    const sent = written(recordings['flow-control'], 'tcp').join('');
    expect(sent.length).toBeGreaterThan(1_000_000);
    const raw = spawnSync('tshark', ['-r', file, '-q', '-z', 'follow,tcp,raw,0'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    const hex = raw.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l)).map((l) => l.trim()).join('');
    expect(Buffer.from(hex, 'hex').toString('latin1')).toBe(sent);
    const expert = run('tshark', ['-r', file, '-q', '-z', 'expert,warn']);
    expect(expert).not.toMatch(/previous segment not captured|Malformed/i);
  });

  it('leaves subprocess pipes out and says so', async () => {
    const { result } = await exported('subprocess-line-protocol', 'pcapng');
    expect(result.notes.join('\n')).toMatch(/chunk\(s\) of pipe traffic are not network traffic/);
  });
});

/** Checks a trace against the Trace Event Format's rules; returns the events. */
function validTrace(text: string): TraceEvent[] {
  const doc = JSON.parse(text) as { traceEvents: TraceEvent[]; displayTimeUnit?: string };
  expect(Array.isArray(doc.traceEvents)).toBe(true);
  const events = doc.traceEvents;
  const open = new Map<string, string[]>();
  const flowsStarted = new Set<string>();
  const slices = new Map<string, { ts: number; end: number }[]>();
  for (const e of events) {
    expect(typeof e.name, JSON.stringify(e)).toBe('string');
    expect(typeof e.pid).toBe('number');
    expect(typeof e.tid).toBe('number');
    if (e.ph !== 'M') {
      expect(typeof e.ts, JSON.stringify(e)).toBe('number');
      expect(e.ts!).toBeGreaterThanOrEqual(0);
    }
    switch (e.ph) {
      case 'X': {
        expect(typeof e.dur).toBe('number');
        expect(e.dur!).toBeGreaterThanOrEqual(0);
        const key = `${e.pid}/${e.tid}`;
        if (!slices.has(key)) slices.set(key, []);
        slices.get(key)!.push({ ts: e.ts!, end: e.ts! + e.dur! });
        break;
      }
      case 'b':
      case 'e': {
        expect(typeof e.cat).toBe('string');
        expect(typeof e.id).toBe('string');
        const key = `${e.cat}/${e.id}`;
        const stack = open.get(key) ?? [];
        if (e.ph === 'b') stack.push(e.name);
        else expect(stack.pop(), `"e" of ${e.name} ${key} without its "b"`).toBe(e.name);
        open.set(key, stack);
        break;
      }
      case 's':
      case 'f':
        expect(typeof e.cat).toBe('string');
        expect(typeof e.id).toBe('string');
        if (e.ph === 's') flowsStarted.add(`${e.cat}/${e.id}`);
        else {
          expect(flowsStarted.has(`${e.cat}/${e.id}`), `flow end ${e.id} without its start`).toBe(true);
          expect(e.bp).toBe('e');
        }
        break;
      case 'C':
        for (const value of Object.values(e.args ?? {})) expect(typeof value).toBe('number');
        break;
      case 'M':
        expect(['process_name', 'thread_name', 'thread_sort_index']).toContain(e.name);
        break;
      case 'i':
        expect(['g', 'p', 't']).toContain(e.s);
        break;
      default:
        throw new Error(`unexpected phase ${e.ph}`);
    }
  }
  for (const [key, stack] of open) expect(stack, `unclosed async slices of ${key}`).toEqual([]);
  // Complete slices on one track never overlap.
  for (const [key, list] of slices) {
    const sorted = [...list].sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].ts, `overlap on ${key}`).toBeGreaterThanOrEqual(sorted[i - 1].end);
  }
  // Every flow starts inside a callback slice of its thread.
  const loopSlices = slices.get('1/1') ?? [];
  for (const e of events.filter((x) => x.ph === 's')) expect(loopSlices.some((s) => s.ts <= e.ts! && e.ts! <= s.end), `flow ${e.id} starts outside a slice`).toBe(true);
  return events;
}

describe('Chrome trace export', { timeout: 60_000 }, () => {
  it('follows the Trace Event Format: required fields per phase, balanced async slices, flows from slices, no overlapping slices (real clock)', async () => {
    const { file } = await exported('tcp-echo-protocol', 'trace');
    const events = validTrace(readFileSync(file, 'utf8'));
    const callbacks = events.filter((e) => e.ph === 'X' && e.cat === 'callback').map((e) => e.name);
    expect(callbacks).toEqual(expect.arrayContaining(['connectionMade', '_readReady', 'Task.step']));
    expect(events.some((e) => e.ph === 'b' && e.cat === 'task' && e.name === 'Task-1')).toBe(true);
    expect(events.some((e) => e.ph === 'C' && e.name === 'queues')).toBe(true);
    expect(events.some((e) => e.ph === 's')).toBe(true);
  });

  it('draws a virtual-clock run with callbacks 1 µs apart, tasks on their own async tracks with nested steps', async () => {
    const { file, result } = await exported('ten-tasks', 'trace');
    const events = validTrace(readFileSync(file, 'utf8'));
    const tasks = events.filter((e) => e.ph === 'b' && e.cat === 'task' && e.name.startsWith('Task-'));
    expect(tasks).toHaveLength(11);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(11);
    expect(events.filter((e) => e.ph === 'b' && e.name === 'step').length).toBeGreaterThanOrEqual(11);
    for (const x of events.filter((e) => e.ph === 'X' && e.cat === 'callback')) expect(x.dur).toBeGreaterThanOrEqual(1);
    expect(result.notes.join('\n')).toMatch(/virtual clock/);
  });
});

describe('asciinema cast export', { timeout: 60_000 }, () => {
  function castLines(file: string): { header: Record<string, unknown>; events: [number, string, string][] } {
    const [first, ...rest] = readFileSync(file, 'utf8').trimEnd().split('\n');
    return { header: JSON.parse(first) as Record<string, unknown>, events: rest.map((l) => JSON.parse(l) as [number, string, string]) };
  }

  it('is a v2 header and [time, "o", text] events in time order, every transport labelled', async () => {
    const { file } = await exported('tcp-echo-protocol', 'cast');
    const { header, events } = castLines(file);
    expect(header).toMatchObject({ version: 2, width: expect.any(Number), height: expect.any(Number) });
    for (let i = 0; i < events.length; i++) {
      expect(events[i][1]).toBe('o');
      if (i > 0) expect(events[i][0]).toBeGreaterThanOrEqual(events[i - 1][0]);
    }
    expect(events.map((e) => e[2]).join('')).toMatch(/\[#\d+ tcp 127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+ sent\]/);
  });

  it('of one transport holds only its traffic, unlabelled', async () => {
    const recording = recordings['tcp-echo-protocol'];
    const client = recording.timeline.trafficSources().find((s) => s.kind === 'tcp' && s.serverId === undefined)!;
    const { file } = await exported('tcp-echo-protocol', 'cast', { transportId: client.transportId });
    const text = castLines(file).events.map((e) => e[2]).join('');
    expect(text).toBe('Hello World!Hello World!');
  });

  it.skipIf(!asciinema.available || !script.available)(`asciinema cat prints the traffic${asciinema.reason || script.reason ? ` (skipped: ${asciinema.reason || script.reason})` : ''}`, async () => {
    const { file } = await exported('subprocess-line-protocol', 'cast');
    // asciinema cat reads /dev/tty: give it a terminal with script(1).
    const out = run('script', ['-qec', `asciinema cat ${JSON.stringify(file)}`, '/dev/null']);
    for (const text of ['hello', 'HELLO', 'event loop', 'EVENT LOOP', 'goodbye', 'GOODBYE']) expect(out).toContain(text);
    expect(out).toMatch(/stdin of \S+ \(pid \d+\) sent/);
    expect(out).toMatch(/stdout of \S+ \(pid \d+\) received/);
  });
});
