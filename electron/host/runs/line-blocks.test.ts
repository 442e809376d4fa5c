import { describe, expect, it } from 'vitest';
import type { EncodedEvents } from '../../../shared/engine/event-lines';
import { LineBlocks } from './line-blocks';

const batchIn = (block: Buffer): EncodedEvents => ({ bytes: block.subarray(0, 10), ends: new Uint32Array([10]), count: 1 });

describe('the blocks event lines are written into', () => {
  it('are used again once given back, and a block too small for what is asked is not', () => {
    const blocks = new LineBlocks();
    const a = blocks.take(100);
    expect(a.length).toBeGreaterThanOrEqual(100);
    blocks.give(a.buffer as ArrayBuffer);
    expect(blocks.take(50).buffer).toBe(a.buffer);
    blocks.give(a.buffer as ArrayBuffer);
    const big = blocks.take(a.length + 1);
    expect(big.buffer).not.toBe(a.buffer);
    expect(big.length).toBeGreaterThan(a.length);
    expect(blocks.spareCount).toBe(1);
  });

  it('keep four spares at most, the largest', () => {
    const blocks = new LineBlocks();
    const sizes = [1, 5, 2, 4, 3].map((mb) => blocks.take(mb << 20));
    for (const b of sizes) blocks.give(b.buffer as ArrayBuffer);
    expect(blocks.spareCount).toBe(4);
    // The 1 MiB block was dropped: asking for 1 MiB gets the smallest that is left.
    expect(blocks.take(1).length).toBe(2 << 20);
  });

  it('come back from a lent batch only when the lender and every holder have let go, each counted once', () => {
    const blocks = new LineBlocks();
    const block = blocks.take(64);
    const batch = batchIn(block);
    const lender = blocks.lend(batch);
    const holder = batch.hold!();
    const other = batch.hold!();
    lender();
    holder();
    holder(); // twice by mistake
    expect(blocks.spareCount).toBe(0);
    other();
    expect(blocks.spareCount).toBe(1);
    expect(blocks.take(64).buffer).toBe(block.buffer);
  });
});
