// UDP endpoints on 127.0.0.1 (asyncio's create_datagram_endpoint and DatagramProtocol).
import { describe, expect, it } from 'vitest';
import type {
  NodeEventLoop,
} from '../index';
import {
  AddressInUseError,
  ConnectionRefusedError,
  DatagramProtocol,
  ValueError,
  decodeBytes,
  sleep,
  type DatagramTransport,
  type EngineEvent,
  type Future,
  type SocketAddress,
} from '../index';
import { inLoop } from '../testing/test-loops';

class EchoServer extends DatagramProtocol {
  transport!: DatagramTransport;
  readonly calls: string[] = [];
  override connectionMade(t: DatagramTransport): void {
    this.calls.push('connectionMade');
    this.transport = t;
  }
  override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
    this.calls.push('datagramReceived');
    this.transport.sendto(data, addr);
  }
  override connectionLost(exc: Error | null): void {
    this.calls.push(`connectionLost(${exc})`);
  }
}

class Client extends DatagramProtocol {
  transport!: DatagramTransport;
  readonly received: Array<[Uint8Array, SocketAddress]> = [];
  readonly errors: Error[] = [];
  next: Future<void> | null = null;
  readonly lost: Future<Error | null>;
  constructor(readonly loop: NodeEventLoop) {
    super();
    this.lost = loop.createFuture<Error | null>();
  }
  override connectionMade(t: DatagramTransport): void {
    this.transport = t;
  }
  override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
    this.received.push([data, addr]);
    this.next?.setResult(undefined);
    this.next = null;
  }
  override errorReceived(exc: Error): void {
    this.errors.push(exc);
    this.next?.setResult(undefined);
    this.next = null;
  }
  override connectionLost(exc: Error | null): void {
    this.lost.setResult(exc);
  }
  /** Sends and waits for the reply (or an error). */
  async request(data: Uint8Array, addr?: SocketAddress): Promise<void> {
    this.next = this.loop.createFuture<void>();
    const waiting = this.next;
    this.transport.sendto(data, addr);
    await waiting;
  }
}

describe('UDP endpoints', () => {
  it('echoes datagrams: datagramReceived(data, addr) and sendto(data, addr) (DatagramProtocol)', async () => {
    await inLoop(async (loop) => {
      const [serverT, server] = await loop.createDatagramEndpoint(() => new EchoServer(), { localAddr: ['127.0.0.1', 0] });
      const serverAddr = serverT.getExtraInfo('sockname') as SocketAddress;
      expect(serverAddr[0]).toBe('127.0.0.1');
      expect(serverAddr[1]).toBeGreaterThan(0);
      const [clientT, client] = await loop.createDatagramEndpoint(() => new Client(loop), { localAddr: ['127.0.0.1', 0] });
      for (let i = 0; i < 50; i++) await client.request(Uint8Array.of(i, 255 - i), serverAddr);
      expect(client.received).toHaveLength(50);
      expect(client.received.every(([d, addr], i) => d[0] === i && d[1] === 255 - i && addr[0] === '127.0.0.1' && addr[1] === serverAddr[1])).toBe(true);
      clientT.close();
      serverT.close();
      expect(await client.lost).toBeNull();
      await sleep(0);
      expect(server.calls[0]).toBe('connectionMade');
      expect(server.calls[server.calls.length - 1]).toBe('connectionLost(null)');
    });
  });

  it('a connected endpoint sends without an address and refuses another one with ValueError (_SelectorDatagramTransport.sendto)', async () => {
    await inLoop(async (loop) => {
      const [serverT] = await loop.createDatagramEndpoint(() => new EchoServer(), { localAddr: ['127.0.0.1', 0] });
      const serverAddr = serverT.getExtraInfo('sockname') as SocketAddress;
      const [clientT, client] = await loop.createDatagramEndpoint(() => new Client(loop), { remoteAddr: serverAddr });
      expect(clientT.getExtraInfo('peername')).toEqual(serverAddr);
      await client.request(Uint8Array.of(1, 2, 3));
      await client.request(Uint8Array.of(4), serverAddr);
      expect(client.received.map(([d]) => Array.from(d))).toEqual([[1, 2, 3], [4]]);
      expect(() => clientT.sendto(Uint8Array.of(5), ['127.0.0.1', 9])).toThrow(ValueError);
      clientT.close();
      serverT.close();
      await client.lost;
    });
  });

  it('binary and empty datagrams arrive intact (Python 3.13 sends empty datagrams)', async () => {
    await inLoop(async (loop) => {
      const [serverT] = await loop.createDatagramEndpoint(() => new EchoServer(), { localAddr: ['127.0.0.1', 0] });
      const [clientT, client] = await loop.createDatagramEndpoint(() => new Client(loop), { remoteAddr: serverT.getExtraInfo('sockname') as SocketAddress });
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await client.request(all);
      await client.request(new Uint8Array(0));
      expect(Array.from(client.received[0][0])).toEqual(Array.from(all));
      expect(client.received[1][0].length).toBe(0);
      clientT.close();
      serverT.close();
      await client.lost;
    });
  });

  it('ICMP port unreachable reaches errorReceived as ConnectionRefusedError and the endpoint stays open', async () => {
    await inLoop(async (loop) => {
      // A port that was just free: nothing answers there.
      const [probe] = await loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0] });
      const deadAddr = probe.getExtraInfo('sockname') as SocketAddress;
      probe.close();
      await sleep(0.01);
      const [clientT, client] = await loop.createDatagramEndpoint(() => new Client(loop), { remoteAddr: deadAddr });
      await client.request(Uint8Array.of(1));
      expect(client.errors[0]).toBeInstanceOf(ConnectionRefusedError);
      expect(clientT.isClosing()).toBe(false);
      clientT.close();
      expect(await client.lost).toBeNull();
    });
  });

  it('binding a port in use rejects with AddressInUseError', async () => {
    await inLoop(async (loop) => {
      const [first] = await loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0] });
      const addr = first.getExtraInfo('sockname') as SocketAddress;
      await expect(loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: addr })).rejects.toBeInstanceOf(AddressInUseError);
      first.close();
      await sleep(0);
    });
  });

  it('datagrams in and out are events with the peer address and bytes', async () => {
    await inLoop(async (loop) => {
      const events: EngineEvent[] = [];
      loop.setEventSink((e) => events.push(e));
      const [serverT] = await loop.createDatagramEndpoint(() => new EchoServer(), { localAddr: ['127.0.0.1', 0] });
      const serverAddr = serverT.getExtraInfo('sockname') as SocketAddress;
      const [clientT, client] = await loop.createDatagramEndpoint(() => new Client(loop), { localAddr: ['127.0.0.1', 0] });
      await client.request(Uint8Array.of(0xde, 0xad), serverAddr);
      const data = events.filter((e) => e.type === 'transport-data');
      expect(data).toHaveLength(4);
      const first = data[0];
      expect(first.type === 'transport-data' && first.kind).toBe('udp');
      expect(first.type === 'transport-data' && first.addr).toBe(`127.0.0.1:${serverAddr[1]}`);
      expect(first.type === 'transport-data' && Array.from(decodeBytes(first.data))).toEqual([0xde, 0xad]);
      const snap = loop.snapshot().transports ?? [];
      expect(snap.filter((t) => t.kind === 'udp')).toHaveLength(2);
      clientT.close();
      serverT.close();
      await client.lost;
      await sleep(0);
      expect(events.filter((e) => e.type === 'transport-lost')).toHaveLength(2);
    });
  });

  it('pauseReading() holds datagrams until resumeReading()', async () => {
    await inLoop(async (loop) => {
      const [serverT] = await loop.createDatagramEndpoint(() => new EchoServer(), { localAddr: ['127.0.0.1', 0] });
      const [clientT, client] = await loop.createDatagramEndpoint(() => new Client(loop), { remoteAddr: serverT.getExtraInfo('sockname') as SocketAddress });
      const server = serverT as unknown as { pauseReading(): void; resumeReading(): void; isReading(): boolean };
      server.pauseReading();
      expect(server.isReading()).toBe(false);
      client.next = loop.createFuture<void>();
      const reply = client.next;
      clientT.sendto(Uint8Array.of(9));
      await sleep(0.05);
      expect(client.received).toHaveLength(0);
      server.resumeReading();
      await reply;
      expect(Array.from(client.received[0][0])).toEqual([9]);
      clientT.close();
      serverT.close();
      await client.lost;
    });
  });
});

