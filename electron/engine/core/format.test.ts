import { describe, expect, it } from 'vitest';
import { argsRepr, callbackName } from './format';

describe('callbackName (how events and snapshots name a callback, like asyncio\'s Handle repr)', () => {
  it('names functions, bound functions by their target, and anonymous ones', () => {
    function helloWorld(): void {}
    const anonymous = [(): void => {}][0];
    expect(callbackName(helloWorld)).toBe('helloWorld');
    expect(callbackName(helloWorld.bind(null))).toBe('helloWorld');
    expect(callbackName(anonymous)).toBe('<anonymous>');
    expect(callbackName(null)).toBe('null');
  });

  it('answers each callback for itself when the same ones alternate (the last answer is kept)', () => {
    function a(): void {}
    function b(): void {}
    expect([a, a, b, a, b, b, 'x', a].map(callbackName)).toEqual(['a', 'a', 'b', 'a', 'b', 'b', 'x', 'a']);
  });

  it('renders arguments without running their code', () => {
    const sneaky = { toString: () => { throw new Error('ran user code'); } };
    expect(() => argsRepr([sneaky, 1, 'two'])).not.toThrow();
  });
});
