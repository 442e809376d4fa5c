import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from './cli-args';

describe('loopwright command line', () => {
  it('parses run with every flag, in any order', () => {
    expect(parseCliArgs(['run', '--json', 'a.ts', '--clock', 'virtual', '--timeout=2.5', '--expect-output', 'out.txt'])).toEqual({
      command: 'run',
      file: 'a.ts',
      json: true,
      clock: 'virtual',
      timeout: 2.5,
      expectOutput: 'out.txt',
    });
    expect(parseCliArgs(['run', 'a.ts'])).toEqual({ command: 'run', file: 'a.ts', json: false });
  });

  it('parses list, check, help and version', () => {
    expect(parseCliArgs(['list'])).toEqual({ command: 'list' });
    expect(parseCliArgs(['check', '--clock', 'real'])).toEqual({ command: 'check', clock: 'real' });
    expect(parseCliArgs([])).toEqual({ command: 'help', topic: undefined });
    expect(parseCliArgs(['run', '--help'])).toEqual({ command: 'help', topic: 'run' });
    expect(parseCliArgs(['--version'])).toEqual({ command: 'version' });
  });

  it.each([
    [['run'], 'run needs a scenario file'],
    [['run', 'a.ts', 'b.ts'], 'run takes one file, got 2'],
    [['run', 'a.ts', '--clock', 'wall'], '--clock takes "real" or "virtual", got "wall"'],
    [['run', 'a.ts', '--timeout', '-1'], '--timeout takes a positive number of seconds, got "-1"'],
    [['run', 'a.ts', '--timeout'], '--timeout needs a value'],
    [['run', 'a.ts', '--colour'], 'unknown option "--colour" for run'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(new CliUsageError(message));
  });
});
