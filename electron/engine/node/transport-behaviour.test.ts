// The transport behaviour suite, written once and run twice (STYLE.md rule 12, like uvloop's
// Test_UV_TCP / Test_AIO_TCP): against real TCP connections over 127.0.0.1, and against the
// in-memory pair that deterministic replay uses. Each test names the asyncio behaviour it mirrors.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type {
  NodeEventLoop,
} from '../index';
import {
  BufferedProtocol,
  ConnectionResetError,
  Protocol,
  RuntimeError,
  ValueError,
  createMemoryTransportPair,
  decodeBytes,
  sleep,
  type EngineEvent,
  type MemoryTransport,
  type Server,
  type Transport,
} from '../index';
import { collectingPlatform, inLoop as runInLoop } from '../testing/test-loops';
import type { Future } from '../core/futures';

/** A protocol that records its callbacks and lets a test wait for bytes, EOF and the loss. */
class Recorder extends Protocol {
  readonly calls: string[] = [];
  transport!: Transport;
  readonly chunks: Uint8Array[] = [];
  received = 0;
  keepOpenOnEof = false;
  lostWith: Error | null | undefined = undefined;
  readonly made: Future<void>;
  readonly eof: Future<void>;
  readonly lost: Future<Error | null>;
  private waiters: Array<[number, Future<void>]> = [];
  onData: ((data: Uint8Array) => void) | null = null;

  constructor(readonly loop: NodeEventLoop) {
    super();
    this.made = loop.createFuture<void>();
    this.eof = loop.createFuture<void>();
    this.lost = loop.createFuture<Error | null>();
  }

  override connectionMade(transport: Transport): void {
    this.calls.push('connectionMade');
    this.transport = transport;
    this.made.setResult(undefined);
  }

  override dataReceived(data: Uint8Array): void {
    if (this.calls[this.calls.length - 1] !== 'dataReceived') this.calls.push('dataReceived');
    this.chunks.push(data);
    this.received += data.length;
    this.onData?.(data);
    this.waiters = this.waiters.filter(([n, fut]) => {
      if (this.received < n) return true;
      if (!fut.done()) fut.setResult(undefined);
      return false;
    });
  }

  override eofReceived(): boolean {
    this.calls.push('eofReceived');
    this.eof.setResult(undefined);
    return this.keepOpenOnEof;
  }

  override connectionLost(exc: Error | null): void {
    this.calls.push('connectionLost');
    this.lostWith = exc;
    this.lost.setResult(exc);
  }

  override pauseWriting(): void {
    this.calls.push('pauseWriting');
  }

  override resumeWriting(): void {
    this.calls.push('resumeWriting');
  }

  /** Resolves once `n` bytes in total have been received. */
  waitBytes(n: number): Future<void> {
    const fut = this.loop.createFuture<void>();
    if (this.received >= n) fut.setResult(undefined);
    else this.waiters.push([n, fut]);
    return fut;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.received);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** A connected pair: `client` connected to `server`, both protocols' connectionMade done. */
interface Pair<C extends Protocol, S extends Protocol> {
  client: Transport;
  server: Transport;
  clientProto: C;
  serverProto: S;
  /** Releases what the driver holds beyond the two transports (a listening server). */
  cleanup(): Promise<void>;
}

interface Driver {
  readonly name: string;
  connect<C extends Protocol, S extends Protocol>(loop: NodeEventLoop, client: () => C, server: () => S): Promise<Pair<C, S>>;
  /** Closes `transport`'s end as a TCP RST does (the other end sees ConnectionResetError). */
  reset(transport: Transport): void;
}

const tcpDriver: Driver = {
  name: 'TCP over 127.0.0.1',
  async connect(loop, clientFactory, serverFactory) {
    let serverProto: ReturnType<typeof serverFactory> | null = null;
    const accepted = loop.createFuture<void>();
    const server: Server = await loop.createServer(() => {
      serverProto = serverFactory();
      const made = serverProto.connectionMade.bind(serverProto);
      serverProto.connectionMade = (t: Transport) => {
        made(t);
        accepted.setResult(undefined);
      };
      return serverProto;
    }, '127.0.0.1', 0);
    const [client, clientProto] = await loop.createConnection(clientFactory, '127.0.0.1', server.sockets[0].getsockname()[1]);
    await accepted;
    const sp = serverProto as unknown as ReturnType<typeof serverFactory>;
    const serverTransport = (sp as unknown as { transport: Transport }).transport;
    return {
      client,
      server: serverTransport,
      clientProto,
      serverProto: sp,
      async cleanup() {
        server.close();
        await server.waitClosed();
      },
    };
  },
  reset(transport) {
    (transport.getExtraInfo('socket') as Socket).resetAndDestroy();
  },
};

const memoryDriver: Driver = {
  name: 'in-memory pair',
  async connect(loop, clientFactory, serverFactory) {
    const clientProto = clientFactory();
    const serverProto = serverFactory();
    const [client, server] = createMemoryTransportPair(loop, clientProto, serverProto, { addressA: ['10.0.0.1', 5000], addressB: ['10.0.0.2', 80] });
    await (clientProto as unknown as Recorder).made;
    await (serverProto as unknown as Recorder).made;
    return { client, server, clientProto, serverProto, async cleanup() {} };
  },
  reset(transport) {
    (transport as MemoryTransport).reset();
  },
};

/** What the loops of this file logged (asyncio's logger.warning lines), newest last. */
const logged: string[] = [];
const platform = collectingPlatform(logged);

/** Runs `main` on a fresh loop and closes the loop afterwards. */
const inLoop = <T>(main: (loop: NodeEventLoop) => Promise<T>): Promise<T> => runInLoop(main, { platform });

const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const textOf = (b: Uint8Array): string => String.fromCharCode(...b);

for (const driver of [tcpDriver, memoryDriver]) {
  describe(`transport behaviour: ${driver.name}`, () => {
    it('echo calls connectionMade -> dataReceived* -> eofReceived -> connectionLost (protocols.Protocol call order)', async () => {
      await inLoop(async (loop) => {
        class Echo extends Recorder {
          override dataReceived(data: Uint8Array): void {
            super.dataReceived(data);
            this.transport.write(data);
          }
        }
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Echo(loop));
        pair.client.write(bytesOf('hello '));
        pair.client.writelines([bytesOf('wor'), bytesOf('ld')]);
        await pair.clientProto.waitBytes(11);
        expect(textOf(pair.clientProto.bytes())).toBe('hello world');
        pair.client.close();
        expect(await pair.clientProto.lost).toBeNull();
        expect(await pair.serverProto.lost).toBeNull();
        expect(pair.clientProto.calls).toEqual(['connectionMade', 'dataReceived', 'connectionLost']);
        expect(pair.serverProto.calls).toEqual(['connectionMade', 'dataReceived', 'eofReceived', 'connectionLost']);
        await pair.cleanup();
      });
    });

    it('close() is idempotent and connectionLost comes exactly once (selector_events._SelectorTransport.close)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        expect(pair.client.isClosing()).toBe(false);
        pair.client.close();
        pair.client.close();
        expect(pair.client.isClosing()).toBe(true);
        pair.client.abort();
        await pair.clientProto.lost;
        await pair.serverProto.lost;
        pair.client.close();
        await sleep(0.01);
        expect(pair.clientProto.calls.filter((c) => c === 'connectionLost')).toHaveLength(1);
        await pair.cleanup();
      });
    });

    it('eofReceived returning true keeps the connection half-open (selector_events._read_ready__on_eof)', async () => {
      await inLoop(async (loop) => {
        class HalfOpen extends Recorder {
          override eofReceived(): boolean {
            super.eofReceived();
            // The peer sent everything; answer after its EOF, then close.
            this.transport.write(bytesOf(`got ${this.received} bytes`));
            this.transport.close();
            return true;
          }
        }
        const pair = await driver.connect(loop, () => new Recorder(loop), () => {
          const p = new HalfOpen(loop);
          p.keepOpenOnEof = true;
          return p;
        });
        expect(pair.client.canWriteEof()).toBe(true);
        pair.client.write(bytesOf('12345'));
        pair.client.writeEof();
        expect(() => pair.client.write(bytesOf('x'))).toThrow(RuntimeError);
        await pair.clientProto.eof;
        expect(textOf(pair.clientProto.bytes())).toBe('got 5 bytes');
        expect(await pair.serverProto.lost).toBeNull();
        expect(pair.serverProto.calls).toEqual(['connectionMade', 'dataReceived', 'eofReceived', 'connectionLost']);
        expect(await pair.clientProto.lost).toBeNull();
        expect(pair.clientProto.calls).toEqual(['connectionMade', 'dataReceived', 'eofReceived', 'connectionLost']);
        await pair.cleanup();
      });
    });

    it('eofReceived returning nothing makes the transport close itself (selector_events._read_ready__on_eof)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        pair.client.writeEof();
        expect(await pair.serverProto.lost).toBeNull();
        expect(pair.server.isClosing()).toBe(true);
        await pair.clientProto.eof;
        expect(await pair.clientProto.lost).toBeNull();
        await pair.cleanup();
      });
    });

    it('write() after writeEof() raises RuntimeError; writes after the loss are dropped, not raised (selector_events.write)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        pair.client.writeEof();
        expect(() => pair.client.write(bytesOf('late'))).toThrow('Cannot call write() after writeEof()');
        pair.server.abort();
        await pair.serverProto.lost;
        logged.length = 0;
        expect(() => {
          for (let i = 0; i < 10; i++) pair.server.write(bytesOf('dropped'));
        }).not.toThrow();
        // asyncio warns once the dropped writes pass LOG_THRESHOLD_FOR_CONNLOST_WRITES (5).
        expect(logged.filter((m) => m === 'socket.send() raised exception.').length).toBeGreaterThan(0);
        expect(() => pair.server.write('text' as unknown as Uint8Array)).toThrow(TypeError);
        await pair.clientProto.lost;
        await pair.cleanup();
      });
    });

    it('abort() drops buffered data and calls connectionLost(null) once (selector_events._force_close)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        pair.server.pauseReading();
        pair.client.write(new Uint8Array(256 * 1024));
        pair.client.abort();
        pair.client.abort();
        expect(pair.client.isClosing()).toBe(true);
        expect(await pair.clientProto.lost).toBeNull();
        expect(pair.clientProto.calls.filter((c) => c === 'connectionLost')).toHaveLength(1);
        pair.server.resumeReading();
        await pair.serverProto.lost;
        await pair.cleanup();
      });
    });

    it('pauseReading() holds data back until resumeReading() (ReadTransport.pause_reading)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        expect(pair.server.isReading()).toBe(true);
        pair.server.pauseReading();
        pair.server.pauseReading();
        expect(pair.server.isReading()).toBe(false);
        pair.client.write(bytesOf('held'));
        // Let the bytes arrive (generously) without being delivered.
        await sleep(0.1);
        expect(pair.serverProto.received).toBe(0);
        pair.server.resumeReading();
        expect(pair.server.isReading()).toBe(true);
        await pair.serverProto.waitBytes(4);
        expect(textOf(pair.serverProto.bytes())).toBe('held');
        pair.client.close();
        await pair.serverProto.lost;
        await pair.cleanup();
      });
    });

    it('pauseWriting above the high mark, then resumeWriting at or below the low mark, once each (transports._FlowControlMixin)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        expect(pair.client.getWriteBufferLimits()).toEqual([16384, 65536]);
        pair.server.pauseReading();
        const chunk = new Uint8Array(64 * 1024).fill(7);
        let sent = 0;
        // A paused reader: the kernel's buffers (several MB on loopback) fill, then the transport's.
        for (let i = 0; i < 1024 && !pair.clientProto.calls.includes('pauseWriting'); i++) {
          pair.client.write(chunk);
          sent += chunk.length;
          if (i % 16 === 15) await sleep(0.001);
        }
        expect(pair.clientProto.calls).toContain('pauseWriting');
        expect(pair.client.getWriteBufferSize()).toBeGreaterThan(65536);
        pair.server.resumeReading();
        await pair.serverProto.waitBytes(sent);
        for (let i = 0; i < 100 && !pair.clientProto.calls.includes('resumeWriting'); i++) await sleep(0.005);
        expect(pair.clientProto.calls.filter((c) => c === 'pauseWriting')).toHaveLength(1);
        expect(pair.clientProto.calls.filter((c) => c === 'resumeWriting')).toHaveLength(1);
        expect(pair.clientProto.calls.indexOf('pauseWriting')).toBeLessThan(pair.clientProto.calls.indexOf('resumeWriting'));
        expect(pair.client.getWriteBufferSize()).toBeLessThanOrEqual(16384);
        expect(pair.serverProto.received).toBe(sent);
        pair.client.close();
        await pair.serverProto.lost;
        await pair.cleanup();
      });
    });

    it('setWriteBufferLimits() validates as asyncio (transports._set_write_buffer_limits)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        pair.client.setWriteBufferLimits(1000);
        expect(pair.client.getWriteBufferLimits()).toEqual([250, 1000]);
        pair.client.setWriteBufferLimits(null, 100);
        expect(pair.client.getWriteBufferLimits()).toEqual([100, 400]);
        expect(() => pair.client.setWriteBufferLimits(10, 20)).toThrow(ValueError);
        expect(() => pair.client.setWriteBufferLimits(10, -1)).toThrow('high (10) must be >= low (-1) must be >= 0');
        pair.client.close();
        await pair.serverProto.lost;
        await pair.cleanup();
      });
    });

    it('binary data round-trips intact: every byte value and invalid UTF-8', async () => {
      await inLoop(async (loop) => {
        class Echo extends Recorder {
          override dataReceived(data: Uint8Array): void {
            super.dataReceived(data);
            this.transport.write(data);
          }
        }
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Echo(loop));
        const payload = new Uint8Array(256 * 40 + 8);
        for (let i = 0; i < 256 * 40; i++) payload[i] = (i * 7) & 255;
        payload.set([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x00], 256 * 40);
        pair.client.write(payload);
        await pair.clientProto.waitBytes(payload.length);
        expect(Buffer.from(pair.clientProto.bytes()).equals(Buffer.from(payload))).toBe(true);
        pair.client.close();
        await pair.serverProto.lost;
        await pair.cleanup();
      });
    });

    it('a peer reset delivers ConnectionResetError to connectionLost (selector_events._fatal_error)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        pair.client.write(bytesOf('before the reset'));
        await pair.serverProto.waitBytes(16);
        driver.reset(pair.server);
        pair.server.abort();
        const exc = await pair.clientProto.lost;
        expect(exc).toBeInstanceOf(ConnectionResetError);
        expect((exc as ConnectionResetError).errno).toBe(104);
        expect(pair.clientProto.calls.filter((c) => c === 'connectionLost')).toHaveLength(1);
        await pair.serverProto.lost;
        await pair.cleanup();
      });
    });

    it('setProtocol() switches which protocol receives the callbacks (BaseTransport.set_protocol)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        const second = new Recorder(loop);
        pair.server.setProtocol(second);
        expect(pair.server.getProtocol()).toBe(second);
        pair.client.write(bytesOf('to the second'));
        await second.waitBytes(13);
        expect(pair.serverProto.received).toBe(0);
        pair.client.close();
        await second.lost;
        await pair.cleanup();
      });
    });

    it('a BufferedProtocol receives into its own buffer (protocols.BufferedProtocol)', async () => {
      await inLoop(async (loop) => {
        class Buffered extends BufferedProtocol {
          readonly buf = new Uint8Array(7);
          readonly got: number[] = [];
          readonly lost = loop.createFuture<void>();
          override getBuffer(_hint: number): Uint8Array {
            return this.buf;
          }
          override bufferUpdated(n: number): void {
            this.got.push(...this.buf.subarray(0, n));
          }
          override connectionLost(): void {
            this.lost.setResult(undefined);
          }
        }
        const serverProto = new Buffered();
        const pair = await driver.connect(loop, () => new Recorder(loop), () => {
          const r = new Recorder(loop);
          r.onData = null;
          return r;
        });
        pair.server.setProtocol(serverProto);
        const payload = Uint8Array.from({ length: 100 }, (_, i) => i);
        pair.client.write(payload);
        pair.client.close();
        await serverProto.lost;
        expect(serverProto.got).toEqual(Array.from(payload));
        await pair.cleanup();
      });
    });

    it('an error in dataReceived goes to the exception handler and the connection is lost with it (selector_events._fatal_error)', async () => {
      await inLoop(async (loop) => {
        const handled: unknown[] = [];
        loop.setExceptionHandler((_l, ctx) => handled.push(ctx.exception));
        class Failing extends Recorder {
          override dataReceived(data: Uint8Array): void {
            super.dataReceived(data);
            throw new Error('protocol bug');
          }
        }
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Failing(loop));
        pair.client.write(bytesOf('boom'));
        const exc = await pair.serverProto.lost;
        expect(exc?.message).toBe('protocol bug');
        expect(handled).toHaveLength(1);
        await pair.clientProto.lost;
        await pair.cleanup();
      });
    });

    it('getExtraInfo() reports peername and sockname, and the default for unknown names (BaseTransport.get_extra_info)', async () => {
      await inLoop(async (loop) => {
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        expect(pair.client.getExtraInfo('peername')).toEqual(pair.server.getExtraInfo('sockname'));
        expect(pair.client.getExtraInfo('sockname')).toEqual(pair.server.getExtraInfo('peername'));
        expect(pair.client.getExtraInfo('nonsense')).toBeUndefined();
        expect(pair.client.getExtraInfo('nonsense', 42)).toBe(42);
        pair.client.close();
        await pair.serverProto.lost;
        await pair.cleanup();
      });
    });

    it('traffic and lifecycle are events (bytes as base64) and the snapshot lists the transports', async () => {
      await inLoop(async (loop) => {
        const events: EngineEvent[] = [];
        loop.setEventSink((e) => events.push(e));
        const pair = await driver.connect(loop, () => new Recorder(loop), () => new Recorder(loop));
        const payload = Uint8Array.of(0, 1, 2, 0xff, 0xfe);
        pair.client.write(payload);
        await pair.serverProto.waitBytes(5);
        const snap = loop.snapshot();
        const ids = [(pair.client as unknown as { id: number }).id, (pair.server as unknown as { id: number }).id];
        const entries = (snap.transports ?? []).filter((t) => ids.includes(t.id));
        expect(entries).toHaveLength(2);
        const clientEntry = entries.find((t) => t.id === ids[0]);
        expect(clientEntry).toMatchObject({ state: 'open', bytesOut: 5, writeBufferSize: 0, paused: { reading: false, writing: false } });
        expect(entries.find((t) => t.id === ids[1])).toMatchObject({ bytesIn: 5 });
        pair.client.close();
        await pair.serverProto.lost;
        await pair.clientProto.lost;
        const data = events.filter((e) => e.type === 'transport-data');
        const out = data.find((e) => e.type === 'transport-data' && e.transportId === ids[0] && e.direction === 'out');
        const inn = data.find((e) => e.type === 'transport-data' && e.transportId === ids[1] && e.direction === 'in');
        expect(out && out.type === 'transport-data' && Array.from(decodeBytes(out.data))).toEqual(Array.from(payload));
        expect(inn && inn.type === 'transport-data' && inn.size).toBe(5);
        const kinds = events.filter((e) => 'transportId' in e && e.transportId === ids[1]).map((e) => e.type);
        expect(kinds[0]).toBe('transport-opened');
        expect(kinds).toContain('transport-eof');
        expect(kinds[kinds.length - 1]).toBe('transport-lost');
        expect((loop.snapshot().transports ?? []).filter((t) => ids.includes(t.id))).toHaveLength(0);
        await pair.cleanup();
      });
    });
  });
}
