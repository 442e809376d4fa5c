// The thread that writes runs' event lines. A scenario worker sends its events as numbers
// (event-batch.ts); turning them into recording lines is the host's share of observing a run, and
// for a busy run it is as much CPU as the run itself (about 20 ns a line, three lines a callback).
// On the host's main thread that work competed with the run for the machine's cores and held up
// everything else the main thread serves (the windows' IPC, the other runs). Here it has a thread
// of its own, which on Linux runs at a lower priority than the host and the runs: the observer
// yields to what it observes, and writes the lines when a core has time for them. The batches
// come back in the order they went, each written exactly as completeEncodedEvents writes it on the
// main thread, which is also what happens when no thread can be started.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EncodedEvents, EventRecords } from '../../../shared/engine/event-lines';
import { EventBatch, completeEncodedEvents, type RecycledBlocks } from './event-batch';
import { lendBlock, type LineBlocks } from './line-blocks';

/** Nice value of the line writer's thread on Linux: below the host and the runs, so it takes what cores they leave. */
export const LINE_WRITER_NICE = 10;

/** What the host sends the line writer. */
export type ToLineWriter =
  | { type: 'write'; id: number; count: number; records: EventRecords }
  /** A block of lines that every holder is done with, for the writer to fill again. */
  | { type: 'give'; block: ArrayBuffer };

/** What the line writer sends back: a batch's lines, and its records' blocks for the run's worker to use again. */
export type FromLineWriter = { type: 'lines'; id: number; bytes: Uint8Array; ends: Uint32Array; records: RecycledBlocks | null };

/** A batch whose lines are written. */
export interface WrittenBatch {
  /** The run manager's release of the lines' block (see LineBlocks.lend): call once the batch is handed over. */
  release: () => void;
  /** The blocks of the batch's records, for its run's worker to fill again (null: it had none). */
  records: RecycledBlocks | null;
  /** Events whose lines could not be written (the line writer failed with the batch): the batch is then empty. */
  lost?: number;
}

interface Waiting {
  events: EncodedEvents;
  resolve: (written: WrittenBatch) => void;
  released: () => void;
}

export class LineThread {
  /** Undefined until the first batch; null when no thread could be started or it failed. */
  private worker: Worker | null | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  /**
   * `file` is the built line writer (out/engine/line-writer.mjs); `fallback` the blocks that lines
   * written on this thread go into, when there is no line writer.
   */
  constructor(
    private readonly file: string,
    private readonly fallback: LineBlocks,
  ) {}

  /**
   * Writes the lines of `events` (a batch with records), in order with the batches before it.
   * `released` is called once every holder of the lines has let go of them (see LineBlocks.lend): the
   * host holds no more of the batch.
   */
  write(events: EncodedEvents, released: () => void = () => {}): Promise<WrittenBatch> {
    const records = events.records;
    const worker = this.thread();
    if (records === undefined || worker === null) return Promise.resolve(this.writeHere(events, released));
    const id = this.nextId++;
    delete events.records;
    return new Promise((resolve) => {
      // While batches are out, the host waits for them (a CLI run's last batch after its worker ended).
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { events, resolve, released });
      const message: ToLineWriter = { type: 'write', id, count: events.count, records };
      const transfer = [records.numbers.buffer as ArrayBuffer];
      if (records.payloads.buffer.byteLength > 0) transfer.push(records.payloads.buffer as ArrayBuffer);
      worker.postMessage(message, transfer);
    });
  }

  /** Ends the thread (the next batch starts another); batches still out are reported lost. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.dropWaiting();
    if (worker) await worker.terminate();
  }

  private writeHere(events: EncodedEvents, released: () => void): WrittenBatch {
    const records = EventBatch.blocksOf(events.records);
    const release = completeEncodedEvents(events, this.fallback, released);
    if (release !== null) return { release, records };
    // Lines written before (no records): nothing of them is lent from here.
    released();
    return { release: () => {}, records };
  }

  private thread(): Worker | null {
    if (this.worker !== undefined) return this.worker;
    let worker: Worker;
    try {
      // A missing file would only fail once the thread has started, taking the first batch with it.
      if (!existsSync(this.file)) return (this.worker = null);
      worker = new Worker(this.file, { stdout: true, stderr: true });
    } catch {
      return (this.worker = null);
    }
    worker.on('message', (message: FromLineWriter) => this.receive(worker, message));
    // A thread that fails leaves the lines to this one from the next batch on. The batches it had
    // went with their records: those are reported lost (see `failed`).
    worker.on('error', () => this.failed(worker));
    worker.on('exit', () => this.failed(worker));
    // It serves the runs while there are batches; it must not keep the host alive on its own. (After
    // the listeners: listening for messages takes a reference again.)
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(worker: Worker, message: FromLineWriter): void {
    const waiting = this.waiting.get(message.id);
    if (waiting === undefined) return;
    this.waiting.delete(message.id);
    if (this.waiting.size === 0) worker.unref();
    const { events, resolve, released } = waiting;
    events.bytes = message.bytes;
    events.ends = message.ends;
    // The block goes back to the writer once the run manager and every listener that kept the
    // lines (the recorder, until written) have let go of it.
    const release = lendBlock(events, (block) => {
      if (this.worker === worker) worker.postMessage({ type: 'give', block } satisfies ToLineWriter, [block]);
      released();
    });
    resolve({ release, records: message.records });
  }

  private failed(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.dropWaiting();
  }

  /** The records of the batches still out went with them: says what was lost rather than wait. */
  private dropWaiting(): void {
    for (const [id, { events, resolve, released }] of this.waiting) {
      this.waiting.delete(id);
      const lost = events.count;
      events.bytes = new Uint8Array(0);
      events.ends = new Uint32Array(0);
      events.count = 0;
      released();
      resolve({ release: () => {}, records: null, lost });
    }
  }
}
