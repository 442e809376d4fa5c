import { describe, expect, it } from 'vitest';
import { encodeBytes } from '../../../shared/engine/base64';
import { formatChunk, formatRecord, hexDump, recordText } from './traffic-format';
import { TrafficLog, TrafficTabs, type TrafficRecord } from './traffic';

const b64 = (text: string) => encodeBytes(new TextEncoder().encode(text));

describe('TrafficTabs', () => {
  it('gives a TCP connection a tab with both directions of its traffic', () => {
    const tabs = new TrafficTabs(0);
    expect(tabs.apply({ type: 'transport-opened', time: 1, transportId: 11, kind: 'tcp', peer: '127.0.0.1:4000', local: '127.0.0.1:5000', serverId: 4 }).tabs).toBe(true);
    tabs.apply({ type: 'transport-data', time: 1.5, transportId: 11, kind: 'tcp', direction: 'in', data: b64('ping\n'), size: 5 });
    tabs.apply({ type: 'transport-data', time: 1.6, transportId: 11, kind: 'tcp', direction: 'out', data: b64('pong\n'), size: 5 });
    const [tab] = tabs.tabs;
    expect(tab).toMatchObject({ key: 't11', kind: 'tcp', title: 'TCP 127.0.0.1:4000', bytesIn: 5, bytesOut: 5, writable: true });
    const log = tabs.log('t11')!;
    const data = [log.get(1), log.get(2)].map((r) => (r?.kind === 'data' ? `${r.direction} ${recordText(r.data)}` : ''));
    expect(data).toEqual(['in ping\n', 'out pong\n']);
    tabs.apply({ type: 'transport-lost', time: 2, transportId: 11, error: null });
    expect(tabs.tab('t11')).toMatchObject({ state: 'closed', writable: false });
  });

  it('counts traffic that came without its bytes, and keeps it in order as uncaptured', () => {
    const tabs = new TrafficTabs(0);
    tabs.apply({ type: 'transport-opened', time: 1, transportId: 3, kind: 'tcp', peer: '127.0.0.1:4000', local: '127.0.0.1:5000' });
    tabs.apply({ type: 'transport-data', time: 1.1, transportId: 3, kind: 'tcp', direction: 'out', data: b64('hi\n'), size: 3 });
    tabs.apply({ type: 'transport-traffic', time: 1.2, transportId: 3, kind: 'tcp', direction: 'out', size: 65536 });
    expect(tabs.tab('t3')).toMatchObject({ bytesOut: 65539 });
    const log = tabs.log('t3')!;
    expect(log.get(log.end - 1)).toMatchObject({ kind: 'data', size: 65536, data: '', uncaptured: true });
    expect(log.offsetOf(log.end)).toBe(65539);
  });

  it("puts a subprocess's stdin, stdout and stderr in the subprocess's tab, named", () => {
    const tabs = new TrafficTabs(0);
    tabs.apply({ type: 'transport-opened', time: 0, transportId: 6, kind: 'subprocess', peer: '/usr/bin/node', local: null, pid: 42, program: '/usr/bin/node' });
    for (const [id, fd] of [[7, 0], [9, 1], [11, 2]]) tabs.apply({ type: 'transport-opened', time: 0, transportId: id, kind: 'pipe', peer: null, local: null, fd, parentId: 6 });
    tabs.apply({ type: 'transport-data', time: 0.1, transportId: 7, kind: 'pipe', direction: 'out', data: b64('hi\n'), size: 3, fd: 0 });
    tabs.apply({ type: 'transport-data', time: 0.2, transportId: 9, kind: 'pipe', direction: 'in', data: b64('HI\n'), size: 3, fd: 1 });
    expect(tabs.tabs.map((t) => t.title)).toEqual(['node (pid 42)']);
    const log = tabs.log('t6')!;
    const channels: string[] = [];
    for (let seq = log.first; seq < log.end; seq++) {
      const r = log.get(seq);
      if (r?.kind === 'data') channels.push(`${r.channel} ${r.direction}`);
    }
    expect(channels).toEqual(['stdin out', 'stdout in']);
    tabs.apply({ type: 'transport-lost', time: 1, transportId: 7, error: null });
    expect(tabs.tab('t6')).toMatchObject({ state: 'open', writable: false });
  });

  it('gives a connection from the host its own tab, named by its port once known', () => {
    const tabs = new TrafficTabs(1000);
    tabs.apply({ type: 'server-listening', time: 0, serverId: 1, sockets: ['127.0.0.1:8888'] });
    expect(tabs.listeningPorts()).toEqual([8888]);
    tabs.applyHost({ runId: 'r', connectionId: 3, kind: 'open', time: 2000 });
    tabs.setPort(3, 8888);
    tabs.applyHost({ runId: 'r', connectionId: 3, kind: 'data', direction: 'in', data: b64('Welcome\n'), time: 2500 });
    expect(tabs.tab('c3')).toMatchObject({ source: 'host', title: 'Connect #3 → :8888', bytesIn: 8 });
    const last = tabs.log('c3')!.get(tabs.log('c3')!.end - 1) as TrafficRecord;
    expect(last).toMatchObject({ kind: 'data', time: 1.5 });
  });

  it('counts a host connection\'s bytes that came without them (past the window\'s allowance)', () => {
    const tabs = new TrafficTabs(1000);
    tabs.applyHost({ runId: 'r', connectionId: 4, kind: 'open', time: 2000 });
    tabs.applyHost({ runId: 'r', connectionId: 4, kind: 'data', direction: 'in', data: b64('ab'), size: 2, time: 2100 });
    tabs.applyHost({ runId: 'r', connectionId: 4, kind: 'data', direction: 'in', size: 5000, time: 2200 });
    expect(tabs.tab('c4')).toMatchObject({ bytesIn: 5002 });
    const log = tabs.log('c4')!;
    expect(log.get(log.end - 1)).toMatchObject({ kind: 'data', size: 5000, data: '', uncaptured: true });
    expect(log.get(log.end - 2)).not.toHaveProperty('uncaptured');
  });
});

describe('TrafficLog', () => {
  it('keeps the newest bytes within its budget and counts what it forgot', () => {
    const log = new TrafficLog(1000);
    for (let i = 0; i < 100; i++) log.add({ kind: 'data', time: i, direction: 'in', data: '', size: 100 });
    expect(log.end).toBe(100);
    expect(log.end - log.first).toBeLessThanOrEqual(13);
    expect(log.forgottenBytes).toBe(log.first * 100);
  });
});

describe('traffic formats', () => {
  it('shows text with the time and direction, control characters visible and never interpreted', () => {
    const text = formatRecord({ seq: 0, kind: 'data', time: 0.5, direction: 'out', data: b64('a\x1b[2Jb\r\nc\n'), size: 9 }, 'text');
    expect(text).toContain('→');
    expect(text).toContain('0.500');
    expect(text).toContain('a\u241b[2Jb');
    expect(text).not.toContain('\x1b[2J');
    expect(text.endsWith('c\r\n')).toBe(true);
  });

  it("shows a big chunk's last bytes, from a row's start in hex, with their real offsets", () => {
    const record: TrafficRecord = { seq: 0, kind: 'data', time: 0, direction: 'in', data: b64('x'.repeat(100)), size: 100 };
    const { text, hidden } = formatChunk(record, 'hex', 32);
    expect(hidden).toBe(64);
    expect(text).toContain('… the first 64 B of these 100 B not shown');
    expect(text).toContain('000040  78 78');
    expect(text).not.toContain('000030');
  });

  it('dumps bytes in hex with offsets and printable ASCII', () => {
    expect(hexDump(new TextEncoder().encode('Hello World!\n'))).toEqual(['000000  48 65 6c 6c 6f 20 57 6f  72 6c 64 21 0a           Hello World!.']);
  });
});
