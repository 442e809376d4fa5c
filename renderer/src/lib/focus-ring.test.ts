import { afterEach, describe, expect, it } from 'vitest';
import { moveFocusWithin } from './focus-ring';

describe('moveFocusWithin', () => {
  afterEach(() => (document.body.innerHTML = ''));

  function box(): HTMLElement {
    document.body.innerHTML = '<button id="out">out</button><div id="box"><pre id="p" tabindex="0"></pre><button id="a">a</button><button id="b">b</button></div>';
    return document.getElementById('box')!;
  }

  it('goes round the matching elements in both directions', () => {
    const el = box();
    document.getElementById('b')!.focus();
    moveFocusWithin(el, 'pre, button', 1);
    expect(document.activeElement?.id).toBe('p');
    moveFocusWithin(el, 'pre, button', -1);
    expect(document.activeElement?.id).toBe('b');
    moveFocusWithin(el, 'button', -1);
    expect(document.activeElement?.id).toBe('a');
  });

  it('brings the focus in from outside, forwards to the first', () => {
    const el = box();
    document.getElementById('out')!.focus();
    moveFocusWithin(el, 'button', 1);
    expect(document.activeElement?.id).toBe('a');
  });

  it('does nothing without a container or a match', () => {
    const el = box();
    document.getElementById('out')!.focus();
    moveFocusWithin(undefined, 'button', 1);
    moveFocusWithin(el, 'input', 1);
    expect(document.activeElement?.id).toBe('out');
  });
});
