import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BatchCredit } from './batch-credit';
import { ControlBlock, ControlRequest, TAKEN_SLOT } from './control-block';

/**
 * A host on a thread of its own that takes in `bytes` after `delayMs`, having first set word 0 of
 * `flag` (so the waiting side can tell it returned only after the host took the batch in).
 */
function hostTakesLater(control: ControlBlock, flag: SharedArrayBuffer, bytes: number, delayMs: number): Worker {
  const source = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
const flag = new Int32Array(workerData.flag);
Atomics.wait(flag, 1, 0, workerData.delayMs);
Atomics.store(flag, 0, 1);
Atomics.add(control, workerData.slot, workerData.bytes);
Atomics.notify(control, workerData.slot);`;
  return new Worker(source, { eval: true, workerData: { control: control.buffer, flag, bytes, delayMs, slot: TAKEN_SLOT } });
}

describe("a worker's credit of unread event batches", () => {
  it('lets batches go on while the host has at most the credit unread', () => {
    const control = new ControlBlock();
    const credit = new BatchCredit(control, 1000);
    credit.sentBatch(600);
    credit.sentBatch(400);
    expect(credit.unread()).toBe(1000);
    expect(credit.heldBackMs).toBe(0);
    control.took(600);
    credit.sentBatch(500);
    expect(credit.unread()).toBe(900);
    expect(credit.heldBackMs).toBe(0);
  });

  it('waits past the credit until the host has taken enough in, and counts the wait', async () => {
    const control = new ControlBlock();
    const credit = new BatchCredit(control, 1000);
    credit.sentBatch(1000);
    const flag = new SharedArrayBuffer(8);
    const host = hostTakesLater(control, flag, 700, 100);
    credit.sentBatch(500);
    // It returned only once the host had taken the first batch's bytes in.
    expect(Atomics.load(new Int32Array(flag), 0)).toBe(1);
    expect(credit.unread()).toBe(800);
    expect(credit.heldBackMs).toBeGreaterThan(0);
    await host.terminate();
  });

  it('stops waiting when the run is being stopped', () => {
    const control = new ControlBlock();
    const credit = new BatchCredit(control, 10);
    control.request(ControlRequest.Stop);
    credit.sentBatch(100);
    expect(credit.unread()).toBe(100);
  });

  it('counts bytes modulo 2^32 as the host does, past 2 GiB of a long run', () => {
    const control = new ControlBlock();
    const credit = new BatchCredit(control, 1.5 * 2 ** 30);
    for (let i = 0; i < 5; i++) {
      credit.sentBatch(1 << 30);
      control.took(1 << 30);
    }
    credit.sentBatch(1000);
    expect(credit.unread()).toBe(1000);
    expect(credit.heldBackMs).toBe(0);
  });
});
