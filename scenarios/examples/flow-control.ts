// Flow control: pauseWriting and resumeWriting around a reader that stops reading.
import { getEventLoop, Protocol, sleep, type Transport } from 'loopwright';

export const meta = {
  title: 'Flow control (pauseWriting / resumeWriting)',
  description:
    'The server stops reading (pauseReading), so the kernel\'s buffers fill and then the client transport\'s own write buffer grows. Once it is above the high-water mark, the transport calls the client protocol\'s pauseWriting(): a well-behaved writer stops. When the server reads again the buffer drains, and resumeWriting() says the writer may go on. Each is called once per crossing.',
  clock: 'real',
  expectedOutput: [
    'server: not reading for now',
    'client: pauseWriting: the write buffer is above the high-water mark, stopping',
    'server: reading again',
    'client: resumeWriting: the buffer drained; closing',
    'server: received every byte the client wrote',
    '',
  ].join('\n'),
};

const CHUNK = new Uint8Array(64 * 1024).fill(42);

class SlowReader extends Protocol {
  received = 0;
  transport!: Transport;
  constructor(private readonly onEnd: (received: number) => void) {
    super();
  }
  override connectionMade(transport: Transport): void {
    this.transport = transport;
    transport.pauseReading();
    console.log('server: not reading for now');
  }
  override dataReceived(data: Uint8Array): void {
    this.received += data.length;
  }
  override eofReceived(): void {
    this.onEnd(this.received);
  }
}

/** Writes as fast as it may until told to pause; once resumed, it says goodbye (EOF). */
class EagerWriter extends Protocol {
  private transport!: Transport;
  sent = 0;
  private paused = false;
  constructor(private readonly onPaused: () => void) {
    super();
  }
  override connectionMade(transport: Transport): void {
    this.transport = transport;
    // Writing in a loop only ends because pauseWriting() is called from inside write().
    while (!this.paused) {
      this.transport.write(CHUNK);
      this.sent += CHUNK.length;
    }
  }
  override pauseWriting(): void {
    this.paused = true;
    console.log('client: pauseWriting: the write buffer is above the high-water mark, stopping');
    this.onPaused();
  }
  override resumeWriting(): void {
    console.log('client: resumeWriting: the buffer drained; closing');
    this.transport.writeEof();
  }
}

async function main(): Promise<void> {
  let reader: SlowReader | undefined;
  const ended = loop.createFuture<number>();
  const paused = loop.createFuture<void>();
  const server = await loop.createServer(() => (reader = new SlowReader((n) => ended.setResult(n))), '127.0.0.1', 0);
  const [, port] = server.sockets[0].getsockname();
  const [client, writer] = await loop.createConnection(() => new EagerWriter(() => paused.setResult()), '127.0.0.1', port);
  await paused;
  await sleep(0.1);
  console.log('server: reading again');
  reader!.transport.resumeReading();
  const received = await ended;
  if (received === writer.sent) console.log('server: received every byte the client wrote');
  else console.log(`server: received ${received} of ${writer.sent} bytes`);
  client.close();
  server.close();
  await server.waitClosed();
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(main);
} finally {
  loop.close();
}
