import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventLine, type EncodedEvents } from '../../../shared/engine/event-lines';
import { EVENT_SAMPLES } from '../../../shared/engine/event-samples';
import type { EngineEvent } from '../../../shared/engine/events';
import { EventBatch } from './event-batch';
import { LineBlocks } from './line-blocks';
import { LINE_WRITER_NICE, LineThread } from './line-thread';

// The line writer as the app runs it (out/engine, built by the tests' global setup).
const WRITER = path.resolve(__dirname, '../../../out/engine/line-writer.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'loopwright-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A batch of `events` as a scenario worker sends it: records, no lines yet. */
function recorded(events: EngineEvent[]): EncodedEvents {
  const batch = new EventBatch();
  for (const e of events) batch.add(e);
  return batch.take()!;
}

const text = (batch: EncodedEvents) => Buffer.from(batch.bytes).toString('utf8');

/** Busy runs' events of every kind, in batches of different sizes. */
function batches(): EngineEvent[][] {
  const many: EngineEvent[] = [];
  for (let i = 0; i < 5000; i++) many.push({ type: 'handle-started', time: i / 1e6, id: i }, { type: 'handle-finished', time: i / 1e6, id: i });
  return [EVENT_SAMPLES, many, EVENT_SAMPLES.slice(0, 3)];
}

describe("the line writer's thread", () => {
  it("writes each batch's lines as the main thread would, gives them back in order, and the records' blocks with them", async () => {
    const thread = new LineThread(WRITER, new LineBlocks());
    const sent = batches().map(recorded);
    const written = await Promise.all(sent.map((b) => thread.write(b)));
    batches().forEach((events, i) => {
      expect(sent[i].records).toBeUndefined();
      expect(sent[i].count).toBe(events.length);
      expect(text(sent[i])).toBe(events.map(eventLine).join(''));
      expect(sent[i].ends[events.length - 1]).toBe(sent[i].bytes.length);
      expect(written[i].records?.numbers.byteLength).toBeGreaterThan(0);
      expect(written[i].lost).toBeUndefined();
    });
    // A listener keeps a batch's lines past its call, as the recorder does until they are written.
    const kept = sent[1].hold!();
    for (const w of written) {
      w.release();
      w.release();
    }
    expect(text(sent[1])).toBe(batches()[1].map(eventLine).join(''));
    kept();
    // Blocks given back are written into again.
    const again = recorded(batches()[1]);
    await thread.write(again);
    expect(text(again)).toBe(batches()[1].map(eventLine).join(''));
    await thread.close();
  });

  it.skipIf(process.platform !== 'linux')('runs below the host and the runs in priority, on Linux', async () => {
    const thread = new LineThread(WRITER, new LineBlocks());
    await thread.write(recorded(EVENT_SAMPLES));
    // Field 19 of a thread's stat is its nice value; the tests' own threads keep the default 0.
    const nice = readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });
    expect(nice).toContain(LINE_WRITER_NICE);
    await thread.close();
  });

  it('writes the lines on the main thread when there is no line writer', async () => {
    const blocks = new LineBlocks();
    const thread = new LineThread(path.join(dir, 'missing.mjs'), blocks);
    const batch = recorded(EVENT_SAMPLES);
    const written = await thread.write(batch);
    expect(text(batch)).toBe(EVENT_SAMPLES.map(eventLine).join(''));
    expect(written.records).not.toBeNull();
    written.release();
    expect(blocks.spareCount).toBe(1);
  });

  it('says how many events were lost when the thread fails with their batch, and writes later ones itself', async () => {
    const failing = path.join(dir, 'failing-writer.mjs');
    writeFileSync(failing, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
    const thread = new LineThread(failing, new LineBlocks());
    const first = recorded(EVENT_SAMPLES);
    const lost = await thread.write(first);
    expect(lost.lost).toBe(EVENT_SAMPLES.length);
    expect(first.count).toBe(0);
    const next = recorded(EVENT_SAMPLES);
    const written = await thread.write(next);
    expect(written.lost).toBeUndefined();
    expect(text(next)).toBe(EVENT_SAMPLES.map(eventLine).join(''));
  });
});
