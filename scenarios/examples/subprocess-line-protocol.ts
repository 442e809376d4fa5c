// A child process spoken to through SubprocessProtocol, one line at a time.
import { getEventLoop, SubprocessProtocol, type SubprocessTransport } from 'loopwright';

export const meta = {
  title: 'Subprocess with SubprocessProtocol',
  description:
    'The loop starts a child process (the running Node, so it works everywhere) that answers each line on its stdin with the line in capitals. The protocol writes a line, waits for the answer in pipeDataReceived, then writes the next; after the last it closes the child\'s stdin, and the child exits. asyncio guarantees the order: connectionMade first, processExited once the exit code is known, connectionLost last, after every pipe is closed.',
  clock: 'real',
  expectedOutput: [
    'connectionMade: child started',
    'sent: hello',
    'child answered: HELLO',
    'sent: event loop',
    'child answered: EVENT LOOP',
    'sent: goodbye',
    'child answered: GOODBYE',
    'closed the child\'s stdin',
    'processExited: exit code 0',
    'connectionLost: every pipe is closed',
    '',
  ].join('\n'),
};

// The child: a line-protocol service that upper-cases what it reads.
const CHILD = `
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => process.stdout.write(line.toUpperCase() + '\\n'));
`;

class LineClient extends SubprocessProtocol {
  private transport!: SubprocessTransport;
  private pending = '';
  private readonly lines = ['hello', 'event loop', 'goodbye'];

  constructor(private readonly done: () => void) {
    super();
  }

  override connectionMade(transport: SubprocessTransport): void {
    this.transport = transport;
    console.log('connectionMade: child started');
    this.sendNext();
  }

  override pipeDataReceived(fd: number, data: Uint8Array): void {
    if (fd !== 1) return;
    // Pipes deliver chunks, not lines: keep the tail until its newline arrives.
    this.pending += new TextDecoder().decode(data);
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      console.log(`child answered: ${this.pending.slice(0, newline)}`);
      this.pending = this.pending.slice(newline + 1);
      this.sendNext();
    }
  }

  override processExited(): void {
    console.log(`processExited: exit code ${this.transport.getReturncode()}`);
  }

  override connectionLost(): void {
    console.log('connectionLost: every pipe is closed');
    this.done();
  }

  private sendNext(): void {
    const stdin = this.transport.getPipeTransport(0);
    const line = this.lines.shift();
    if (line === undefined) {
      stdin?.close();
      console.log("closed the child's stdin");
      return;
    }
    stdin?.write(new TextEncoder().encode(`${line}\n`));
    console.log(`sent: ${line}`);
  }
}

async function main(): Promise<void> {
  const done = loop.createFuture<void>();
  await loop.subprocessExec(() => new LineClient(() => done.setResult()), process.execPath, '-e', CHILD);
  await done;
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(main);
} finally {
  loop.close();
}
