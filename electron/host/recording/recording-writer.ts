import { createHash } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { encodeEvent, type EncodedEvents } from '../../../shared/engine/event-lines';
import type { EngineEvent } from '../../../shared/engine/events';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordingEntry,
  type RecordingHeader,
} from '../../../shared/recording/format';
import { numberEventLines } from './event-line-numbers';

/** The suffix of a recording still being written (or cut short by a crash). */
export const PARTIAL_SUFFIX = '.partial';

/** How often written data is forced to disk (fdatasync) while a run goes on. */
const SYNC_INTERVAL_MS = 1000;

/** The header of a new recording, its source hash computed here. */
export function recordingHeader(options: {
  appVersion: string;
  platform: string;
  scenarioPath: string;
  source: string;
  clock: RecordingHeader['clock'];
  startedAt?: Date;
  detail?: RecordingHeader['detail'];
}): RecordingHeader {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    app: { name: 'Loopwright', version: options.appVersion },
    platform: options.platform,
    scenario: { path: options.scenarioPath, source: options.source, sha256: createHash('sha256').update(options.source).digest('hex') },
    clock: options.clock,
    startedAt: (options.startedAt ?? new Date()).toISOString(),
    // Only a lighter level is written: a full recording's header stays as version 1 always had it.
    ...(options.detail !== undefined && options.detail !== 'full' ? { detail: options.detail } : {}),
  };
}

/**
 * Writes a recording like an append-only log: the header line, then one JSON line per entry, each
 * batch of whole lines in one write, data forced to disk at least once a second and at the end,
 * and the file given its final name by an atomic rename when the run ends. Until then it is
 * `<name>.partial`: what a crash leaves behind, and still readable.
 */
export class RecordingWriter {
  private seq = 0;
  private readonly started = Date.now();
  private lastWall = 0;
  /** Batches waiting for the write under way; kept apart so no single string outgrows V8's limit. */
  private queued: Uint8Array[] = [];
  /** Releases of the held blocks among `queued` (see EncodedEvents.hold). */
  private releases: (() => void)[] = [];
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private readonly syncTimer: ReturnType<typeof setInterval>;
  private finished = false;
  private failure: Error | undefined;
  private written = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
  ) {
    this.syncTimer = setInterval(() => this.sync(), SYNC_INTERVAL_MS);
    this.syncTimer.unref();
  }

  /** Creates `<file>.partial` (refusing to replace anything) and writes the header line. */
  static async create(file: string, header: RecordingHeader): Promise<RecordingWriter> {
    const handle = await open(file + PARTIAL_SUFFIX, 'wx');
    const writer = new RecordingWriter(handle, file);
    writer.queueText(`${JSON.stringify(header)}\n`);
    return writer;
  }

  /** Entries recorded so far. */
  get count(): number {
    return this.seq;
  }

  /** Bytes handed to the file so far. */
  get bytes(): number {
    return this.written;
  }

  /** Appends a batch of entries: numbered, stamped, and written as one block of whole lines. */
  append(entries: readonly RecordingEntry[]): void {
    if (this.finished) throw new Error('the recording is finished');
    if (entries.length === 0) return;
    const wall = this.wallNow();
    let text = '';
    for (const entry of entries) text += `${JSON.stringify({ seq: ++this.seq, wall, ...entry })}\n`;
    this.queueText(text);
  }

  /**
   * Appends engine events as `event` lines: the same lines as `append`, built without wrapping
   * each event in an entry object first (a busy run records hundreds of thousands a second).
   */
  appendEvents(events: readonly EngineEvent[]): void {
    if (this.finished) throw new Error('the recording is finished');
    if (events.length === 0) return;
    const prefix = this.eventPrefix();
    let text = '';
    for (let i = 0; i < events.length; i++) text += `{"seq":${++this.seq}${prefix}${encodeEvent(events[i])}}\n`;
    this.queueText(text);
  }

  /**
   * Appends a worker's batch of encoded events (shared/engine/event-lines.ts): its lines are
   * numbered in place and written as they came, with no parsing, no copying and no string in
   * between (a busy run's recorder shares the machine with the run).
   */
  appendEncodedEvents(batch: EncodedEvents): void {
    if (this.finished) throw new Error('the recording is finished');
    if (batch.count === 0) return;
    // The lines are kept until written: a block the host uses again is held until then.
    const release = batch.hold?.();
    let lines: Uint8Array;
    try {
      lines = numberEventLines(batch, this.seq + 1, this.wallNow());
    } catch (error) {
      release?.();
      throw error;
    }
    this.seq += batch.count;
    if (release !== undefined && lines.buffer !== batch.bytes.buffer) {
      // Written anew (numbers past the fields' widths): the block is not needed.
      release();
      this.queueBytes(lines);
    } else this.queueBytes(lines, release);
  }

  /** What follows `seq` in an event line of a batch appended now. */
  private eventPrefix(): string {
    return `,"wall":${this.wallNow()},"kind":"event","event":`;
  }

  /** The `wall` of lines appended now, kept as the last line's. */
  private wallNow(): number {
    return (this.lastWall = this.elapsedMs);
  }

  /** The `wall` of the last line written (what the history shows as the recording's duration). */
  get lastWallMs(): number {
    return this.lastWall;
  }

  /** Milliseconds since the recording started (what the next line's `wall` will about be). */
  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** Writes what is queued, forces it to disk, closes, and renames the file to its final name. */
  async finish(): Promise<string> {
    if (this.finished) throw new Error('the recording is finished');
    this.finished = true;
    clearInterval(this.syncTimer);
    await this.chain;
    try {
      await this.handle.datasync();
    } finally {
      await this.handle.close();
    }
    if (this.failure) throw this.failure;
    await rename(this.file + PARTIAL_SUFFIX, this.file);
    return this.file;
  }

  /** Gives up on the recording: closes and deletes the `.partial` file (the run never started). */
  async discard(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.syncTimer);
    await this.chain;
    await this.handle.close().catch(() => {});
    await unlink(this.file + PARTIAL_SUFFIX).catch(() => {});
  }

  private queueText(text: string): void {
    this.queueBytes(Buffer.from(text, 'utf8'));
  }

  private queueBytes(block: Uint8Array, release?: () => void): void {
    // Batches that arrive while a write is under way go together in the next single write (a
    // writev: joining them first would copy most of a busy run's bytes once more).
    const idle = this.queued.length === 0;
    this.queued.push(block);
    if (release !== undefined) this.releases.push(release);
    if (!idle) return;
    this.chain = this.chain.then(async () => {
      const blocks = this.queued;
      const releases = this.releases;
      this.queued = [];
      this.releases = [];
      try {
        let total = 0;
        for (const b of blocks) total += b.length;
        let { bytesWritten: at } = blocks.length === 1 ? await this.handle.write(blocks[0]) : await this.handle.writev(blocks);
        // A write may take less than asked (rarely, for a file): go on until the blocks are out, so
        // that no line is ever cut in the middle of the file.
        if (at < total) {
          const bytes = Buffer.concat(blocks);
          while (at < total) at += (await this.handle.write(bytes, at, total - at)).bytesWritten;
        }
        this.written += total;
        this.dirty = true;
      } catch (error) {
        this.failure ??= error as Error;
      } finally {
        // Written (or failed for good): the blocks may be used again.
        for (const r of releases) r();
      }
    });
  }

  private sync(): void {
    if (!this.dirty || this.finished) return;
    this.dirty = false;
    this.chain = this.chain.then(() => this.handle.datasync()).catch((error: Error) => {
      this.failure ??= error;
    });
  }
}
