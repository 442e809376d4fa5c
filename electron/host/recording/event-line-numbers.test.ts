import { describe, expect, it } from 'vitest';
import { EVENT_SAMPLES } from '../../../shared/engine/event-samples';
import { EventBatch } from '../runs/event-batch';
import { numberEventLines } from './event-line-numbers';

function batchOf(count: number) {
  const batch = new EventBatch();
  for (let i = 0; i < count; i++) batch.add(EVENT_SAMPLES[i % EVENT_SAMPLES.length]);
  return batch.take()!;
}

/** The numbered lines as objects, after checking that each is a line of its own. */
function linesOf(bytes: Uint8Array): { seq: number; wall: number; kind: string; event: unknown }[] {
  const text = Buffer.from(bytes).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as { seq: number; wall: number; kind: string; event: unknown });
}

const viaJson = (e: unknown): unknown => JSON.parse(JSON.stringify(e));

describe("numbering a worker's event lines", () => {
  it('writes seq and wall in place, across every change in the number of digits', () => {
    for (const first of [1, 8, 95, 99_990, 999_990_000]) {
      const batch = batchOf(EVENT_SAMPLES.length * 40);
      const out = numberEventLines(batch, first, 12_345);
      // In place: the block written is the batch's own.
      expect(out).toBe(batch.bytes);
      const lines = linesOf(out);
      expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => first + i));
      for (const [i, line] of lines.entries()) {
        expect(line.wall).toBe(12_345);
        expect(line.kind).toBe('event');
        expect(line.event).toEqual(viaJson(EVENT_SAMPLES[i % EVENT_SAMPLES.length]));
      }
    }
  });

  it('writes the lines anew, unpadded, past the widths of the fields', () => {
    for (const [first, wall] of [
      [999_999_990, 7],
      [2 ** 40, 7],
      [5, 100_000_000],
    ]) {
      const batch = batchOf(30);
      const out = numberEventLines(batch, first, wall);
      expect(out).not.toBe(batch.bytes);
      const text = Buffer.from(out).toString('utf8');
      expect(text).not.toContain('  ');
      const lines = linesOf(out);
      expect(lines.map((l) => [l.seq, l.wall])).toEqual(lines.map((_, i) => [first + i, wall]));
      expect(lines.map((l) => l.event)).toEqual(EVENT_SAMPLES.concat(EVENT_SAMPLES).slice(0, 30).map(viaJson));
    }
  });

  it("fills in the base64 of traffic the worker gave as bytes before numbering, in place or anew", () => {
    for (const [first, wall] of [
      [1, 7],
      [2 ** 40, 7],
    ]) {
      const batch = new EventBatch();
      const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
      batch.add(EVENT_SAMPLES[0]);
      batch.traffic(0.5, 3, 'tcp', 'in', bytes, undefined, undefined);
      const lines = linesOf(numberEventLines(batch.take()!, first, wall));
      expect(lines.map((l) => l.event)).toEqual([
        viaJson(EVENT_SAMPLES[0]),
        { type: 'transport-data', time: 0.5, transportId: 3, kind: 'tcp', direction: 'in', data: Buffer.from(bytes).toString('base64'), size: 1000 },
      ]);
    }
  });
});
