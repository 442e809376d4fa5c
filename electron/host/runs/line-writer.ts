// The line writer's thread (see line-thread.ts): writes the lines of the batches the host sends, in
// the order they come, into blocks it uses again once the host gives them back. Built to
// out/engine/line-writer.mjs.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { EncodedEvents } from '../../../shared/engine/event-lines';
import { EventBatch, completeEncodedEvents } from './event-batch';
import { LineBlocks } from './line-blocks';
import { LINE_WRITER_NICE, type FromLineWriter, type ToLineWriter } from './line-thread';

/** Lowers this thread's priority where the system lets a thread have its own (Linux: a thread is a task). */
function lowerPriority(): void {
  try {
    // "<pid>/task/<tid>": setpriority on a thread id changes that thread only.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, LINE_WRITER_NICE);
  } catch {
    // Not Linux, or not allowed: the lines are written at the host's priority, still off its main thread.
  }
}

lowerPriority();
const blocks = new LineBlocks();
const port = parentPort!;

port.on('message', (message: ToLineWriter) => {
  if (message.type === 'give') {
    blocks.give(message.block);
    return;
  }
  const events: EncodedEvents = { bytes: new Uint8Array(0), ends: new Uint32Array(0), count: message.count, records: message.records };
  const records = EventBatch.blocksOf(message.records);
  // The block is the host's until it gives it back: the lender's release is not this thread's to call.
  completeEncodedEvents(events, blocks);
  const reply: FromLineWriter = { type: 'lines', id: message.id, bytes: events.bytes, ends: events.ends, records };
  const transfer = [events.bytes.buffer as ArrayBuffer, events.ends.buffer as ArrayBuffer];
  if (records !== null) transfer.push(...EventBatch.blocksTransferList(records));
  port.postMessage(reply, transfer);
});
