import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HostConnections, type HostConnectionEvent } from './host-connections';

let server: net.Server | undefined;
afterEach(() => server?.close());

async function echoServer(): Promise<number> {
  server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('HostConnections (the terminal\'s netcat)', () => {
  it('connects to a port on loopback, sends, receives the echo, and reports open/data/close', async () => {
    const port = await echoServer();
    const events: HostConnectionEvent[] = [];
    const connections = new HostConnections((e) => events.push(e));
    const id = await connections.connect('run-1', port);
    connections.write(id, new TextEncoder().encode('ping\n'));
    await until(() => events.some((e) => e.direction === 'in'));
    connections.close(id);
    await until(() => events.some((e) => e.kind === 'close'));
    const kinds = events.map((e) => `${e.kind}${e.direction ? `:${e.direction}` : ''}`);
    expect(kinds).toEqual(['open', 'data:out', 'data:in', 'eof', 'close']);
    expect(Buffer.from(events[2].data!, 'base64').toString()).toBe('ping\n');
    expect(events.every((e) => e.runId === 'run-1' && e.connectionId === id)).toBe(true);
  });

  it('refuses with a sentence when nothing listens', async () => {
    const port = await echoServer();
    server!.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const connections = new HostConnections(() => {});
    await expect(connections.connect('run-1', port)).rejects.toThrow(`nothing is listening on 127.0.0.1:${port}`);
  });

  it('closes the connections of a run that ended', async () => {
    const port = await echoServer();
    const events: HostConnectionEvent[] = [];
    const connections = new HostConnections((e) => events.push(e));
    await connections.connect('run-1', port);
    connections.closeRun('run-1');
    await until(() => events.some((e) => e.kind === 'close'));
    expect(() => connections.write(1, new Uint8Array([1]))).toThrow('connection 1 is closed');
  });
});
