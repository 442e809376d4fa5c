import { Console } from 'node:console';
import { Writable } from 'node:stream';
import type { OutputChunk } from './worker-protocol';

/**
 * Captures a worker's console and process.stdout/stderr writes as ordered chunks, so stdout and
 * stderr stay apart but keep their interleaving. `take()` hands over what was written so far.
 */
export class OutputCapture {
  private chunks: OutputChunk[] = [];
  private size = 0;

  constructor(private readonly onLarge: () => void, private readonly largeBytes = 256 * 1024) {}

  /** Adds a chunk, merging with the previous one of the same stream. */
  write(stream: OutputChunk['stream'], text: string): void {
    if (text.length === 0) return;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.stream === stream) last.text += text;
    else this.chunks.push({ stream, text });
    this.size += text.length;
    if (this.size >= this.largeBytes) this.onLarge();
  }

  /** Takes the chunks written since the last take. */
  take(): OutputChunk[] {
    const chunks = this.chunks;
    this.chunks = [];
    this.size = 0;
    return chunks;
  }

  /** Replaces the global console and the process's stdout/stderr writes with this capture. */
  install(): void {
    const stream = (name: OutputChunk['stream']) =>
      new Writable({
        decodeStrings: false,
        write: (chunk: Buffer | string, _encoding, done) => {
          this.write(name, typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
          done();
        },
      });
    globalThis.console = new Console({ stdout: stream('stdout'), stderr: stream('stderr'), colorMode: false });
    const patch = (target: NodeJS.WriteStream, name: OutputChunk['stream']) => {
      target.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        this.write(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        done?.();
        return true;
      }) as typeof target.write;
    };
    patch(process.stdout, 'stdout');
    patch(process.stderr, 'stderr');
  }
}
