import { describe, expect, it } from 'vitest';
import { OutputLog } from './output-log';

describe('OutputLog', () => {
  it('joins a line written in pieces, and keeps stdout and stderr apart in the order written', () => {
    const log = new OutputLog();
    log.write('stdout', 'Hello');
    log.write('stdout', ' World\nnext');
    log.write('stderr', 'oops\n');
    log.write('stdout', 'line\n');
    expect([0, 1, 2, 3].map((i) => [log.at(i)?.kind, log.at(i)?.text])).toEqual([
      ['stdout', 'Hello World'],
      ['stdout', 'next'],
      ['stderr', 'oops'],
      ['stdout', 'line'],
    ]);
    expect(log.size).toBe(4);
  });

  it('closes an open line when the workbench writes one of its own', () => {
    const log = new OutputLog();
    log.write('stdout', 'no newline');
    log.line('notice', '■ Finished');
    log.write('stdout', 'more\n');
    expect(log.text(['stdout', 'notice'])).toBe('no newline\n■ Finished\nmore');
  });

  it('keeps the newest lines when it is full, and counts what it forgot', () => {
    const log = new OutputLog(10);
    for (let i = 0; i < 1200; i++) log.write('stdout', `${i}\n`);
    expect(log.size).toBeLessThanOrEqual(1010);
    expect(log.at(log.size - 1)?.text).toBe('1199');
    expect(log.forgotten + log.size).toBe(1200);
  });
});
