// UDP echo with DatagramProtocol.
import { DatagramProtocol, getEventLoop, type DatagramTransport, type SocketAddress } from 'loopwright';

export const meta = {
  title: 'UDP echo with DatagramProtocol',
  description:
    'Datagrams have no connection: the server\'s datagramReceived gets each message with the sender\'s address and answers with sendto. The client sends three datagrams and counts the echoes; each send and receive is one callback.',
  clock: 'real',
  expectedOutput: ['server: "ping 1" from the client', 'client: echo "ping 1"', 'server: "ping 2" from the client', 'client: echo "ping 2"', 'server: "ping 3" from the client', 'client: echo "ping 3"', 'client: all 3 echoes received', ''].join('\n'),
};

const text = (data: Uint8Array) => new TextDecoder().decode(data);

class EchoServer extends DatagramProtocol {
  private transport!: DatagramTransport;
  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
  }
  override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
    console.log(`server: "${text(data)}" from the client`);
    this.transport.sendto(data, addr);
  }
}

class EchoClient extends DatagramProtocol {
  private transport!: DatagramTransport;
  private sent = 0;
  constructor(private readonly done: () => void) {
    super();
  }
  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
    this.send();
  }
  override datagramReceived(data: Uint8Array): void {
    console.log(`client: echo "${text(data)}"`);
    if (this.sent < 3) this.send();
    else {
      console.log('client: all 3 echoes received');
      this.transport.close();
      this.done();
    }
  }
  private send(): void {
    this.sent++;
    this.transport.sendto(new TextEncoder().encode(`ping ${this.sent}`));
  }
}

async function main(): Promise<void> {
  const [serverTransport] = await loop.createDatagramEndpoint(() => new EchoServer(), { localAddr: ['127.0.0.1', 0] });
  const port = (serverTransport.getExtraInfo('sockname') as SocketAddress)[1];
  const finished = loop.createFuture<void>();
  await loop.createDatagramEndpoint(() => new EchoClient(() => finished.setResult()), { remoteAddr: ['127.0.0.1', port] });
  await finished;
  serverTransport.close();
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(main);
} finally {
  loop.close();
}
