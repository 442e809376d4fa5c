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

  /**
   * `eventsBefore` counts the events batched so far beside this output: each chunk keeps it as
   * `at`, so the host can put output and events back in the order they happened.
   */
  constructor(
    private readonly onLarge: () => void,
    private readonly largeBytes = 256 * 1024,
    private readonly eventsBefore: () => number = () => 0,
  ) {}

  /** Adds a chunk, merging with the previous one of the same stream when no event came between. */
  write(stream: OutputChunk['stream'], text: string): void {
    if (text.length === 0) return;
    const at = this.eventsBefore();
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.stream === stream && last.at === at) last.text += text;
    else this.chunks.push({ stream, text, at });
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
