// A scenario worker encodes each event once into bytes and the recorder stores those bytes as they
// came (no parsing on the way): the recording must still hold every event the loop emitted, equal
// to the events themselves. Checked against the same scenario observed in this process, on the
// virtual clock so that both runs emit the same stream.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { decodeBytes } from '../../../shared/engine/base64';
import { RunManager } from '../runs/run-manager';
import { sampleRun } from './live-sampler';
import { readRecording } from './recording-reader';
import { libraryScenario, recordRun } from './test-recordings';

const manager = new RunManager(path.resolve(__dirname, '../../../out/engine'));
let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'loopwright-worker-recording-'))));
afterAll(async () => {
  await manager.stopAll();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

async function liveEvents(name: string): Promise<unknown[]> {
  vi.resetModules();
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const engine = await import('loopwright');
  const run = await sampleRun(engine, { clock: 'virtual', sampleAt: () => false }, () => import(`../../../scenarios/examples/${name}.ts`));
  return run.lines.map((line) => (line.kind === 'event' ? line.event : null));
}

describe('a worker run recorded from its encoded batches', { timeout: 60_000 }, () => {
  for (const name of ['ten-tasks', 'cancellation', 'coroutine-generator']) {
    it(`${name}: the recording holds every event of the loop, equal to the live ones, and a parsing listener hears the same`, async () => {
      const live = await liveEvents(name);
      const out = path.join(dir, `${name}.lwrec`);
      const { result, totals } = await recordRun(libraryScenario(name), out, { clock: 'virtual', manager });
      expect(result.state).toBe('finished');
      const recorded = (await readRecording(out)).lines.flatMap((line) => (line.kind === 'event' ? [line.event] : []));
      expect(recorded.length).toBeGreaterThan(10);
      expect(totals.events).toBe(recorded.length);
      expect(recorded).toEqual(live);

      // A listener without eventBatch gets the batches parsed into objects.
      const heard: EngineEvent[] = [];
      const file = libraryScenario(name);
      const run = await manager.start({ file, source: readFileSync(file, 'utf8'), clock: 'virtual' }, { events: (e) => heard.push(...e) });
      await run.done;
      expect(heard).toEqual(live);
    });
  }
});

describe('output in a recording', { timeout: 60_000 }, () => {
  // A print belongs where it happened: inside the callback (or task step) that made it, as the live
  // console showed it, even though output and events cross from the worker in the same batches.
  for (const name of ['hello-world', 'ten-tasks']) {
    it(`${name}: every output line lies between the start and the end of the callback that printed it`, async () => {
      const out = path.join(dir, `${name}-output.lwrec`);
      const { result } = await recordRun(libraryScenario(name), out, { clock: 'virtual', manager });
      expect(result.state).toBe('finished');
      const lines = (await readRecording(out)).lines;
      let running: number | null = null;
      const printedIn: (number | null)[] = [];
      for (const line of lines) {
        if (line.kind === 'event' && line.event.type === 'handle-started') running = line.event.id;
        if (line.kind === 'event' && line.event.type === 'handle-finished') running = null;
        if (line.kind === 'output') printedIn.push(running);
      }
      expect(printedIn.length).toBeGreaterThan(0);
      expect(printedIn).not.toContain(null);
    });
  }
});


describe('traffic in a recording of a worker run', { timeout: 60_000 }, () => {
  // The worker leaves the base64 of its traffic to the host (shared/engine/event-lines.ts,
  // PendingPayloads): every byte written and read must still be in the recording, in order.
  const SOURCE = `
import { DatagramProtocol, getEventLoop, Protocol } from 'loopwright';
const loop = getEventLoop();
const SIZES = [1, 2, 3, 4, 5, 255, 1024, 4097, 70001];
const payload = (size, seed) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
class Echo extends Protocol {
  connectionMade(t) { this.t = t; }
  dataReceived(data) { this.t.write(data); }
}
class Client extends Protocol {
  constructor(done) { super(); this.done = done; this.got = 0; this.want = SIZES.reduce((a, b) => a + b, 0); }
  connectionMade(t) {
    this.t = t;
    const reused = new Uint8Array(70001);
    SIZES.forEach((size, seed) => { reused.set(payload(size, seed)); t.write(reused.subarray(0, size)); });
  }
  dataReceived(data) { this.got += data.length; if (this.got === this.want) { this.t.close(); this.done(); } }
}
class UdpEcho extends DatagramProtocol {
  connectionMade(t) { this.t = t; }
  datagramReceived(data, addr) { this.t.sendto(data, addr); }
}
class UdpClient extends DatagramProtocol {
  constructor(done) { super(); this.done = done; this.n = 0; }
  connectionMade(t) { this.t = t; SIZES.slice(0, 7).forEach((size, seed) => t.sendto(payload(size, seed + 100))); }
  datagramReceived() { if (++this.n === 7) { this.t.close(); this.done(); } }
}
await loop.runUntilComplete(async () => {
  const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
  const [, port] = server.sockets[0].getsockname();
  const tcpDone = loop.createFuture();
  await loop.createConnection(() => new Client(() => tcpDone.setResult()), '127.0.0.1', port);
  await tcpDone;
  server.close();
  const [udpServer] = await loop.createDatagramEndpoint(() => new UdpEcho(), { localAddr: ['127.0.0.1', 0] });
  const udpDone = loop.createFuture();
  await loop.createDatagramEndpoint(() => new UdpClient(() => udpDone.setResult()), { remoteAddr: ['127.0.0.1', udpServer.getExtraInfo('sockname')[1]] });
  await udpDone;
  udpServer.close();
});
loop.close();
`;
  const payload = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
  const SIZES = [1, 2, 3, 4, 5, 255, 1024, 4097, 70001];

  it('holds every byte each transport wrote and read, in order, as the engine encodes it', async () => {
    const file = path.join(dir, 'traffic.js');
    writeFileSync(file, SOURCE);
    const out = path.join(dir, 'traffic.lwrec');
    const { result } = await recordRun(file, out, { clock: 'real', source: SOURCE, manager });
    expect(result.state).toBe('finished');
    const data = (await readRecording(out)).lines.flatMap((line) => (line.kind === 'event' && line.event.type === 'transport-data' ? [line.event] : []));
    for (const event of data) expect(decodeBytes(event.data)).toHaveLength(event.size);
    const tcpSent = Buffer.concat(SIZES.map((size, seed) => payload(size, seed)));
    // The client wrote the stream and read its echo; the server read it and wrote it back.
    const tcpIds = new Set(data.filter((e) => e.kind === 'tcp').map((e) => e.transportId));
    expect(tcpIds.size).toBe(2);
    for (const id of tcpIds) {
      for (const direction of ['out', 'in']) {
        const stream = Buffer.concat(data.filter((e) => e.transportId === id && e.direction === direction).map((e) => decodeBytes(e.data)));
        expect(stream.equals(tcpSent), `#${id} ${direction}`).toBe(true);
      }
    }
    const datagrams = data.filter((e) => e.kind === 'udp' && e.direction === 'out');
    expect(datagrams).toHaveLength(14);
    for (const e of datagrams) expect(e.addr).toMatch(/^127\.0\.0\.1:\d+$/);
    const udpSent = SIZES.slice(0, 7).map((size, seed) => Buffer.from(payload(size, seed + 100)));
    expect(datagrams.slice(0, 7).map((e) => Buffer.from(decodeBytes(e.data)))).toEqual(udpSent);
  });
});
