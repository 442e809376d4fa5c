// TCP echo server and client with Protocol classes (asyncio's protocol-based echo example).
import { getEventLoop, Protocol, type Transport } from 'loopwright';

export const meta = {
  title: 'TCP echo with Protocol',
  description:
    'A server and a client in one loop, both written as Protocol classes. The server echoes what it receives; the client sends one message, prints the echo and closes. Watch the callbacks: connectionMade on both sides, dataReceived, eofReceived, then connectionLost. The connection shows in the terminal with both directions of traffic.',
  clock: 'real',
  expectedOutput: [
    'server: connection from a client',
    'client: sent "Hello World!"',
    'server: received "Hello World!", echoing it back',
    'client: received "Hello World!"',
    'server: the client closed the connection',
    'client: connection lost',
    '',
  ].join('\n'),
};

const text = (data: Uint8Array) => new TextDecoder().decode(data);

class EchoServerProtocol extends Protocol {
  private transport!: Transport;

  override connectionMade(transport: Transport): void {
    this.transport = transport;
    console.log('server: connection from a client');
  }

  override dataReceived(data: Uint8Array): void {
    console.log(`server: received "${text(data)}", echoing it back`);
    this.transport.write(data);
  }

  override eofReceived(): void {
    console.log('server: the client closed the connection');
  }
}

class EchoClientProtocol extends Protocol {
  private transport!: Transport;

  constructor(
    private readonly message: string,
    private readonly onLost: () => void,
  ) {
    super();
  }

  override connectionMade(transport: Transport): void {
    this.transport = transport;
    transport.write(new TextEncoder().encode(this.message));
    console.log(`client: sent "${this.message}"`);
  }

  override dataReceived(data: Uint8Array): void {
    console.log(`client: received "${text(data)}"`);
    this.transport.writeEof();
  }

  override connectionLost(): void {
    console.log('client: connection lost');
    this.onLost();
  }
}

async function main(): Promise<void> {
  const server = await loop.createServer(() => new EchoServerProtocol(), '127.0.0.1', 0);
  const [, port] = server.sockets[0].getsockname();
  const lost = loop.createFuture<void>();
  await loop.createConnection(() => new EchoClientProtocol('Hello World!', () => lost.setResult()), '127.0.0.1', port);
  await lost;
  server.close();
  await server.waitClosed();
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(main);
} finally {
  loop.close();
}
