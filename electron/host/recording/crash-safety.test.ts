// Data-loss suite: the recording process is killed with SIGKILL in the middle of a busy run. What
// it wrote must open, lose at most its torn last line, and replay up to that line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLoopSnapshot } from '../../../shared/recording/replay-state';
import { RecordingFile } from './recording-file';

const BIN = path.resolve(__dirname, '../../../bin/loopwright.mjs');
const ECHO = path.resolve(__dirname, '../../../scenarios/examples/tcp-echo-protocol.ts');
let dir: string;

// The TCP echo example's server, with a client that never stops: each echo sends the next message.
const BUSY_ECHO = `
import { getEventLoop, Protocol, type Transport } from 'loopwright';

class EchoServerProtocol extends Protocol {
  private transport!: Transport;
  override connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

class BusyClient extends Protocol {
  private transport!: Transport;
  private n = 0;
  override connectionMade(transport: Transport): void {
    this.transport = transport;
    this.send();
  }
  override dataReceived(): void {
    this.send();
  }
  private send(): void {
    this.transport.write(new TextEncoder().encode(\`message \${++this.n}\\n\`));
  }
}

const loop = getEventLoop();
const server = await loop.runUntilComplete(loop.createServer(() => new EchoServerProtocol(), '127.0.0.1', 0));
const [, port] = server.sockets[0].getsockname();
await loop.runUntilComplete(loop.createConnection(() => new BusyClient(), '127.0.0.1', port));
await loop.runForever();
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-crash-'));
  writeFileSync(path.join(dir, 'busy-echo.ts'), BUSY_ECHO);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a recording survives SIGKILL of the recording process', { timeout: 90_000 }, () => {
  it('in the middle of a busy TCP echo run: the file opens, at most the torn last line is lost, everything before it replays', async () => {
    // The busy client is the library's TCP echo with a client that keeps sending.
    expect(readFileSync(ECHO, 'utf8')).toContain('class EchoServerProtocol extends Protocol');
    const partial = path.join(dir, 'busy.lwrec.partial');
    const child = spawn(process.execPath, [BIN, 'run', 'busy-echo.ts', '--record', 'busy.lwrec'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Busy: wait until a good part of a megabyte is on disk (bounded), then kill mid-write.
    const size = () => {
      try {
        return statSync(partial).size;
      } catch {
        return 0;
      }
    };
    for (let i = 0; i < 600 && size() < 600_000; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(size()).toBeGreaterThanOrEqual(600_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const bytes = readFileSync(partial);
    const lastNewline = bytes.lastIndexOf(10);
    const completeLines = bytes.subarray(0, lastNewline + 1).toString('utf8').split('\n').length - 2; // minus the header and the empty tail
    const recording = await RecordingFile.open(partial);
    // Every complete line is there; only bytes after the last newline (a torn line) may be dropped.
    expect(recording.lineCount).toBe(completeLines);
    if (lastNewline === bytes.length - 1) expect(recording.warnings).toEqual([]);
    else expect(recording.warnings).toEqual([expect.stringMatching(/the last line \(line \d+\) was cut off, probably by a crash/)]);
    expect(recording.timeline.counts.events).toBeGreaterThan(1000);

    // Everything before the cut replays: the state after the last line has the connection open
    // with the echo's bytes counted, and a seek into the middle matches folding up to it.
    const end = recording.timeline.stateAt(recording.lineCount, (from, to) => recording.range(from, to));
    const snapshot = toLoopSnapshot(end);
    expect(snapshot.transports?.filter((t) => t.kind === 'tcp')).toHaveLength(2);
    expect(snapshot.transports!.every((t) => t.bytesOut > 1000)).toBe(true);
    const middle = Math.floor(recording.lineCount / 2);
    expect(recording.timeline.stateAt(middle, (from, to) => recording.range(from, to)).seq).toBe(middle);
    const sent = recording.range(1, recording.lineCount).filter((l) => l.kind === 'event' && l.event.type === 'transport-data' && l.event.direction === 'out');
    expect(sent.length).toBeGreaterThan(100);
  });
});
