import { describe, expect, it } from 'vitest';
import { locateInStack } from './error-location';

describe('locateInStack', () => {
  const file = '/home/ada/Loopwright/scenarios/a (copy).ts';

  it('finds the first frame in the scenario file, with or without a function name', () => {
    const stack = [
      'Error: boom',
      '    at Handle._run (/app/out/engine/loopwright.mjs:10:5)',
      `    at helloWorld (${file}:7:11)`,
      `    at ${file}:12:1`,
    ].join('\n');
    expect(locateInStack(stack, file)).toEqual({ file, line: 7, column: 11 });
  });

  it('is undefined when the scenario is not on the stack', () => {
    expect(locateInStack('Error: x\n    at f (/elsewhere.ts:1:1)', file)).toBeUndefined();
  });
});
