// NodeEventLoop as a whole: nothing leaks after everything is closed, closing the loop releases
// what is still open, pipes given by the caller, and the virtual clock with real I/O.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  DatagramProtocol,
  NodeEventLoop,
  Protocol,
  SubprocessProtocol,
  createSubprocessExec,
  gather,
  newEventLoop,
  openConnection,
  sleep,
  startServer,
  waitFor,
  type Future,
  type SubprocessTransport,
  type Transport,
  type WriteTransport,
} from '../index';
import { inLoop, quietPlatform } from '../testing/test-loops';

/**
 * The libuv handles that keep this process alive, by kind: `Server:TCP`, `Socket:TCP`,
 * `Socket:UDP`, `Socket:Pipe`, `ChildProcess:Process` (the JavaScript object and its libuv
 * handle). `process._getActiveHandles()` lists every handle Node has not closed yet, so a socket,
 * server, pipe or child process that was not released shows up here. Timers are left out: the
 * test runner's own come and go.
 */
function activeHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  const handles = (process as unknown as { _getActiveHandles(): Array<{ _handle?: object | null; addMembership?: unknown }> })._getActiveHandles();
  for (const h of handles) {
    // dgram sockets are told apart by their API: their `_handle` getter is deprecated (DEP0112).
    const name = typeof h.addMembership === 'function' ? 'Socket:UDP' : `${h.constructor?.name ?? 'unknown'}:${h._handle?.constructor?.name ?? '-'}`;
    if (name.startsWith('Timeout') || name.startsWith('Immediate')) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Waits (real time, bounded) until the handles are back to `baseline`; returns the difference. */
async function settleHandles(baseline: Map<string, number>): Promise<Record<string, number>> {
  let diff: Record<string, number> = {};
  for (let i = 0; i < 100; i++) {
    diff = {};
    for (const [name, n] of activeHandles()) {
      const extra = n - (baseline.get(name) ?? 0);
      if (extra > 0) diff[name] = extra;
    }
    if (Object.keys(diff).length === 0) return diff;
    await new Promise((r) => setTimeout(r, 20));
  }
  return diff;
}

class Echo extends Protocol {
  transport!: Transport;
  override connectionMade(t: Transport): void {
    this.transport = t;
  }
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

class Waiter extends SubprocessProtocol {
  readonly done: Future<void>;
  constructor(loop: NodeEventLoop) {
    super();
    this.done = loop.createFuture<void>();
  }
  override connectionLost(): void {
    this.done.setResult(undefined);
  }
}

describe('NodeEventLoop', () => {
  it('newEventLoop() builds a NodeEventLoop with the I/O methods', () => {
    const loop = newEventLoop();
    expect(loop).toBeInstanceOf(NodeEventLoop);
    loop.close();
  });

  it('leaves no socket, server, pipe or child process behind once everything is closed', async () => {
    const baseline = activeHandles();
    await inLoop(async (loop) => {
      const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
      const port = server.sockets[0].getsockname()[1];
      const streams = await gather(...Array.from({ length: 20 }, () => openConnection('127.0.0.1', port)));
      for (const [reader, writer] of streams) {
        writer.write(Uint8Array.of(1, 2, 3));
        await reader.readexactly(3);
      }
      const [udp] = await loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0] });
      const [child, childProto] = await loop.subprocessExec(() => new Waiter(loop), '/bin/cat');
      const busy = activeHandles();
      // 20 client and 20 server sockets, the listening socket, the UDP socket, cat and its 3 pipes.
      expect((busy.get('Socket:TCP') ?? 0) - (baseline.get('Socket:TCP') ?? 0)).toBe(40);
      expect((busy.get('Server:TCP') ?? 0) - (baseline.get('Server:TCP') ?? 0)).toBe(1);
      expect((busy.get('Socket:UDP') ?? 0) - (baseline.get('Socket:UDP') ?? 0)).toBe(1);
      expect((busy.get('Socket:Pipe') ?? 0) - (baseline.get('Socket:Pipe') ?? 0)).toBe(3);
      expect((busy.get('ChildProcess:Process') ?? 0) - (baseline.get('ChildProcess:Process') ?? 0)).toBe(1);

      for (const [, writer] of streams) writer.close();
      await gather(...streams.map(([, w]) => w.waitClosed()));
      server.close();
      server.closeClients();
      await server.waitClosed();
      udp.close();
      (child.getPipeTransport(0) as WriteTransport).close();
      await childProto.done;
      child.close();
      expect(loop.snapshot().transports).toEqual([]);
    });
    expect(await settleHandles(baseline)).toEqual({});
  });

  it('closing the loop releases transports, servers and children still open (no callbacks run)', async () => {
    const baseline = activeHandles();
    const loop = new NodeEventLoop({}, quietPlatform);
    let child: SubprocessTransport | null = null;
    let lostCalls = 0;
    await loop.runUntilComplete(async () => {
      const server = await startServer(() => {}, '127.0.0.1', 0);
      await openConnection('127.0.0.1', server.sockets[0].getsockname()[1]);
      await loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0] });
      [child] = await loop.subprocessExec(() => {
        const p = new SubprocessProtocol();
        p.connectionLost = () => void lostCalls++;
        return p;
      }, '/bin/sleep', '10');
      await sleep(0.01);
    });
    expect((loop.snapshot().transports ?? []).length).toBeGreaterThan(0);
    loop.close();
    expect(loop.snapshot().transports).toEqual([]);
    expect(await settleHandles(baseline)).toEqual({});
    expect(lostCalls).toBe(0);
    expect((child as unknown as SubprocessTransport).getPid()).toBeGreaterThan(0);
  });

  it('connectReadPipe / connectWritePipe wrap Node streams (unix_events pipe transports)', async () => {
    await inLoop(async (loop) => {
      const cat = spawn('/bin/cat', [], { stdio: ['pipe', 'pipe', 'ignore'] });
      const received: number[] = [];
      const lost = loop.createFuture<Error | null>();
      const calls: string[] = [];
      class Reader extends Protocol {
        override dataReceived(data: Uint8Array): void {
          received.push(...data);
        }
        override eofReceived(): void {
          calls.push('eofReceived');
        }
        override connectionLost(exc: Error | null): void {
          calls.push('connectionLost');
          lost.setResult(exc);
        }
      }
      const [rt] = await loop.connectReadPipe(() => new Reader(), cat.stdout!);
      const [wt] = await loop.connectWritePipe(() => new Protocol(), cat.stdin!);
      expect(rt.isReading()).toBe(true);
      wt.write(Uint8Array.of(0, 128, 255));
      expect(wt.canWriteEof()).toBe(true);
      // For a write pipe, writeEof() closes it (asyncio's _UnixWritePipeTransport.write_eof).
      wt.writeEof();
      expect(wt.isClosing()).toBe(true);
      expect(await lost).toBeNull();
      expect(received).toEqual([0, 128, 255]);
      expect(calls).toEqual(['eofReceived', 'connectionLost']);
      await new Promise((r) => (cat.exitCode !== null ? r(null) : cat.once('exit', r)));
    });
  });

  it('on the virtual clock, a timeout does not expire while a local echo is in flight', async () => {
    await inLoop(async (loop) => {
      const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
      const [reader, writer] = await openConnection('127.0.0.1', server.sockets[0].getsockname()[1]);
      const t0 = loop.time();
      for (let i = 0; i < 20; i++) {
        writer.write(Uint8Array.of(i));
        expect((await waitFor(reader.readexactly(1), 5))[0]).toBe(i);
      }
      expect(loop.time() - t0).toBeLessThan(5);
      writer.close();
      server.close();
      server.closeClients();
      await server.waitClosed();
    }, { clock: 'virtual' });
  });

  it('on the virtual clock, time still jumps while a connection is open but quiet', async () => {
    const started = performance.now();
    await inLoop(async (loop) => {
      const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
      const [, writer] = await openConnection('127.0.0.1', server.sockets[0].getsockname()[1]);
      const t0 = loop.time();
      await sleep(3600);
      expect(loop.time() - t0).toBeGreaterThanOrEqual(3600);
      writer.close();
      server.close();
      server.closeClients();
      await server.waitClosed();
    }, { clock: 'virtual' });
    // An hour of loop time in (generously) under ten seconds of real time.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('on the virtual clock, a running child holds time still until it exits', async () => {
    await inLoop(async (loop) => {
      const [t, p] = await loop.subprocessExec(() => new Waiter(loop), '/bin/sleep', '0.2', { stdin: null, stdout: null, stderr: null });
      const t0 = loop.time();
      // Without the hold, the timeout would be reached at once by a jump of virtual time.
      await waitFor(p.done, 5);
      expect(t.getReturncode()).toBe(0);
      expect(loop.time() - t0).toBeLessThan(5);
    }, { clock: 'virtual' });
  });

  it('on the virtual clock, a quiet child waiting for input does not block time forever', async () => {
    const started = performance.now();
    await inLoop(async () => {
      const proc = await createSubprocessExec('/bin/cat', { stdin: 'pipe', stdout: 'pipe' });
      await sleep(60);
      proc.stdin!.write(Uint8Array.of(65, 10));
      expect(Array.from(await waitFor(proc.stdout!.readline(), 5))).toEqual([65, 10]);
      proc.stdin!.close();
      expect(await proc.wait()).toBe(0);
    }, { clock: 'virtual' });
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

