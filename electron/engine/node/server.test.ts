// TCP servers and connections on 127.0.0.1: the Server API, asyncio's errors for refused
// connections and busy ports, and many concurrent connections. Bounded in count and time.
import { describe, expect, it } from 'vitest';
import type {
  NodeEventLoop,
} from '../index';
import {
  AddressInUseError,
  CancelledError,
  ConnectionRefusedError,
  OSError,
  Protocol,
  gather,
  sleep,
  type Future,
  type Server,
  type Transport,
} from '../index';
import { collectingPlatform, inLoop as runInLoop } from '../testing/test-loops';

const logged: string[] = [];
const platform = collectingPlatform(logged);

const inLoop = <T>(main: (loop: NodeEventLoop) => Promise<T>): Promise<T> => runInLoop(main, { platform });

class Echo extends Protocol {
  transport!: Transport;
  lost: Error | null | undefined = undefined;
  override connectionMade(t: Transport): void {
    this.transport = t;
  }
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
  override connectionLost(exc: Error | null): void {
    this.lost = exc;
  }
}

/** A client that sends one message and resolves when the echo is back. */
class PingClient extends Protocol {
  transport!: Transport;
  readonly echoed: Future<string>;
  readonly closed: Future<Error | null>;
  private got = '';
  constructor(loop: NodeEventLoop, private readonly message: string) {
    super();
    this.echoed = loop.createFuture<string>();
    this.closed = loop.createFuture<Error | null>();
  }
  override connectionMade(t: Transport): void {
    this.transport = t;
    t.write(Uint8Array.from(this.message, (c) => c.charCodeAt(0)));
  }
  override dataReceived(data: Uint8Array): void {
    this.got += String.fromCharCode(...data);
    if (this.got.length >= this.message.length && !this.echoed.done()) this.echoed.setResult(this.got);
  }
  override connectionLost(exc: Error | null): void {
    this.closed.setResult(exc);
  }
}

/** A port that nothing listens on (bound and released just before). */
async function freePort(loop: NodeEventLoop): Promise<number> {
  const server = await loop.createServer(() => new Protocol(), '127.0.0.1', 0);
  const port = server.sockets[0].getsockname()[1];
  server.close();
  await server.waitClosed();
  return port;
}

describe('TCP connections and servers', () => {
  it('a refused connection rejects with ConnectionRefusedError carrying errno and address (base_events.create_connection)', async () => {
    await inLoop(async (loop) => {
      const port = await freePort(loop);
      let caught: unknown;
      try {
        await loop.createConnection(() => new Protocol(), '127.0.0.1', port);
      } catch (exc) {
        caught = exc;
      }
      expect(caught).toBeInstanceOf(ConnectionRefusedError);
      expect(caught).toBeInstanceOf(OSError);
      const err = caught as ConnectionRefusedError;
      expect(err.errno).toBe(111);
      expect(err.code).toBe('ECONNREFUSED');
      expect(err.address).toEqual(['127.0.0.1', port]);
      expect(err.message).toBe(`[Errno 111] Connect call failed ('127.0.0.1', ${port})`);
    });
  });

  it('a port in use rejects createServer with AddressInUseError, an OSError with errno 98 (base_events.create_server)', async () => {
    await inLoop(async (loop) => {
      const first = await loop.createServer(() => new Protocol(), '127.0.0.1', 0);
      const port = first.sockets[0].getsockname()[1];
      let caught: unknown;
      try {
        await loop.createServer(() => new Protocol(), '127.0.0.1', port);
      } catch (exc) {
        caught = exc;
      }
      expect(caught).toBeInstanceOf(AddressInUseError);
      expect((caught as OSError).errno).toBe(98);
      expect((caught as Error).message).toBe(`[Errno 98] error while attempting to bind on address ('127.0.0.1', ${port}): address already in use`);
      first.close();
      await first.waitClosed();
    });
  });

  it('port 0 picks a free port and sockets[0].getsockname() reports it (TransportSocket.getsockname)', async () => {
    await inLoop(async (loop) => {
      const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
      expect(server.isServing()).toBe(true);
      expect(server.sockets).toHaveLength(1);
      const [host, port] = server.sockets[0].getsockname();
      expect(host).toBe('127.0.0.1');
      expect(port).toBeGreaterThan(0);
      expect(server.getLoop()).toBe(loop);
      const [, client] = await loop.createConnection(() => new PingClient(loop, 'ping'), '127.0.0.1', port);
      expect(await client.echoed).toBe('ping');
      client.transport.close();
      server.close();
      await server.waitClosed();
    });
  });

  it('a host name is resolved and each of its addresses is used (create_server / create_connection with "localhost")', async () => {
    await inLoop(async (loop) => {
      const server = await loop.createServer(() => new Echo(), 'localhost', 0);
      expect(server.sockets.length).toBeGreaterThanOrEqual(1);
      const port = server.sockets[0].getsockname()[1];
      const [, client] = await loop.createConnection(() => new PingClient(loop, 'name'), server.sockets[0].getsockname()[0], port);
      expect(await client.echoed).toBe('name');
      client.transport.close();
      server.close();
      await server.waitClosed();
    });
  });

  it('close() stops listening and waitClosed() waits for the accepted connections (asyncio 3.12 Server.wait_closed)', async () => {
    await inLoop(async (loop) => {
      const protocols: Echo[] = [];
      const server = await loop.createServer(() => {
        const p = new Echo();
        protocols.push(p);
        return p;
      }, '127.0.0.1', 0);
      const port = server.sockets[0].getsockname()[1];
      const [, client] = await loop.createConnection(() => new PingClient(loop, 'x'), '127.0.0.1', port);
      await client.echoed;
      server.close();
      server.close();
      expect(server.isServing()).toBe(false);
      expect(server.sockets).toEqual([]);
      await expect(loop.createConnection(() => new Protocol(), '127.0.0.1', port)).rejects.toBeInstanceOf(ConnectionRefusedError);
      let waited = false;
      const waiting = loop.createTask(async () => {
        await server.waitClosed();
        waited = true;
      });
      await sleep(0.05);
      expect(waited).toBe(false);
      client.transport.close();
      await waiting;
      expect(waited).toBe(true);
      expect(protocols[0].lost).toBeNull();
      // Once woken, waitClosed() returns at once.
      await server.waitClosed();
    });
  });

  it('cancelling serveForever() closes the server (Server.serve_forever)', async () => {
    await inLoop(async (loop) => {
      const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0, { startServing: false });
      expect(server.isServing()).toBe(false);
      const task = loop.createTask(() => server.serveForever());
      await sleep(0.01);
      expect(server.isServing()).toBe(true);
      await expect(server.serveForever()).rejects.toThrow('is already being awaited on serveForever()');
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      expect(server.isServing()).toBe(false);
      expect(server.sockets).toEqual([]);
    });
  });

  it('startServing: false holds connections until startServing() (base_events.create_server start_serving)', async () => {
    await inLoop(async (loop) => {
      let accepted = 0;
      const server: Server = await loop.createServer(() => {
        accepted++;
        return new Echo();
      }, '127.0.0.1', 0, { startServing: false });
      const [, client] = await loop.createConnection(() => new PingClient(loop, 'held'), '127.0.0.1', server.sockets[0].getsockname()[1]);
      await sleep(0.05);
      expect(accepted).toBe(0);
      await server.startServing();
      expect(await client.echoed).toBe('held');
      expect(accepted).toBe(1);
      client.transport.close();
      server.close();
      await server.waitClosed();
    });
  });

  it('a failing protocol factory is reported to the exception handler and the connection is closed', async () => {
    await inLoop(async (loop) => {
      const handled: string[] = [];
      loop.setExceptionHandler((_l, ctx) => handled.push(ctx.message));
      const server = await loop.createServer(() => {
        throw new Error('factory bug');
      }, '127.0.0.1', 0);
      const [, client] = await loop.createConnection(() => new PingClient(loop, 'x'), '127.0.0.1', server.sockets[0].getsockname()[1]);
      expect(await client.closed).toBeNull();
      expect(handled).toEqual(['Error on transport creation for incoming connection']);
      server.close();
      await server.waitClosed();
    });
  });

  it('cancelling createConnection() leaves nothing open', async () => {
    await inLoop(async (loop) => {
      const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
      const fut = loop.createConnection(() => new Protocol(), '127.0.0.1', server.sockets[0].getsockname()[1]);
      fut.cancel();
      await sleep(0.05);
      expect(fut.cancelled()).toBe(true);
      server.close();
      await server.waitClosed();
      expect(loop.snapshot().transports).toEqual([]);
    });
  });

  it('holds 1,000 concurrent loopback connections and closes them cleanly', async () => {
    await inLoop(async (loop) => {
      const N = 1000;
      const serverSide: Echo[] = [];
      const server = await loop.createServer(() => {
        const p = new Echo();
        serverSide.push(p);
        return p;
      }, '127.0.0.1', 0, { backlog: N });
      const port = server.sockets[0].getsockname()[1];
      const pairs = await gather(...Array.from({ length: N }, (_, i) => loop.createConnection(() => new PingClient(loop, `c${i}`), '127.0.0.1', port)));
      const echoes = await gather(...pairs.map(([, p]) => p.echoed));
      expect(echoes.every((e, i) => e === `c${i}`)).toBe(true);
      expect(serverSide).toHaveLength(N);
      // All of them are open at the same time.
      expect((loop.snapshot().transports ?? []).filter((t) => t.kind === 'tcp' && t.state === 'open')).toHaveLength(2 * N);
      server.close();
      for (const [t] of pairs) t.close();
      const lost = await gather(...pairs.map(([, p]) => p.closed));
      expect(lost.every((e) => e === null)).toBe(true);
      await server.waitClosed();
      expect(serverSide.every((p) => p.lost === null)).toBe(true);
      expect(loop.snapshot().transports).toEqual([]);
    });
  }, 30_000);
});
