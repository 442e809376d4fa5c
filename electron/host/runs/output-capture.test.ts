import { describe, expect, it } from 'vitest';
import { OutputCapture } from './output-capture';

describe('OutputCapture', () => {
  it('keeps stdout and stderr apart but in the order written, merging neighbours', () => {
    const capture = new OutputCapture(() => {});
    capture.write('stdout', 'a');
    capture.write('stdout', 'b\n');
    capture.write('stderr', 'oops\n');
    capture.write('stdout', 'c\n');
    expect(capture.take()).toEqual([
      { stream: 'stdout', text: 'ab\n', at: 0 },
      { stream: 'stderr', text: 'oops\n', at: 0 },
      { stream: 'stdout', text: 'c\n', at: 0 },
    ]);
    expect(capture.take()).toEqual([]);
  });

  it('marks each chunk with the events batched before it, and does not merge across an event', () => {
    let events = 0;
    const capture = new OutputCapture(() => {}, undefined, () => events);
    capture.write('stdout', 'a');
    events = 2;
    capture.write('stdout', 'b');
    capture.write('stdout', 'c');
    expect(capture.take()).toEqual([
      { stream: 'stdout', text: 'a', at: 0 },
      { stream: 'stdout', text: 'bc', at: 2 },
    ]);
  });

  it('asks for an early flush once a batch grows large, so memory stays bounded between frames', () => {
    let flushes = 0;
    const capture = new OutputCapture(() => {
      flushes++;
      capture.take();
    }, 1000);
    for (let i = 0; i < 100; i++) capture.write('stdout', 'x'.repeat(100));
    expect(flushes).toBe(10);
  });
});
