import { describe, expect, it } from 'vitest';
import { comboKeys, CONTEXT_KEYS, matchScrubberKey, matchShortcut, shortcutHint, SHORTCUTS } from './keybindings';

function key(init: KeyboardEventInit, target?: HTMLElement): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, ...init });
  if (target) Object.defineProperty(event, 'target', { value: target });
  return event;
}

describe('keyboard shortcuts', () => {
  it('map the debugger keys to the run commands', () => {
    const cases: [KeyboardEventInit, string][] = [
      [{ key: 'Enter', ctrlKey: true }, 'run'],
      [{ key: 'F5', shiftKey: true }, 'stop'],
      [{ key: 'F6' }, 'pause'],
      [{ key: 'F8' }, 'resume'],
      [{ key: 'F10' }, 'stepCallback'],
      [{ key: 'F11' }, 'stepIteration'],
      [{ key: 'F11', shiftKey: true }, 'stepIteration'],
      [{ key: 'F10', shiftKey: true }, 'runToNextTimer'],
      [{ key: 's', ctrlKey: true }, 'save'],
      [{ key: 'S', ctrlKey: true, shiftKey: false }, 'save'],
      [{ key: 'F1' }, 'help'],
      [{ key: '?', shiftKey: true }, 'help'],
    ];
    for (const [init, command] of cases) expect(matchShortcut(key(init), false)?.command, JSON.stringify(init)).toBe(command);
  });

  it('use ⌘ instead of Ctrl on macOS', () => {
    expect(matchShortcut(key({ key: 'Enter', metaKey: true }), true)?.command).toBe('run');
    expect(matchShortcut(key({ key: 'Enter', ctrlKey: true }), true)).toBeUndefined();
    expect(comboKeys({ key: 'Enter', mod: true }, true)).toEqual(['⌘', 'Enter']);
    expect(shortcutHint('run', false)).toBe('Ctrl+Enter');
  });

  it('need the exact modifiers', () => {
    expect(matchShortcut(key({ key: 'F10', ctrlKey: true }), false)).toBeUndefined();
    expect(matchShortcut(key({ key: 'Enter' }), false)).toBeUndefined();
    expect(matchShortcut(key({ key: 's' }), false)).toBeUndefined();
  });

  it('leave ? to text fields, but F1 and the run keys work while typing', () => {
    const field = document.createElement('textarea');
    document.body.append(field);
    expect(matchShortcut(key({ key: '?' }, field), false)).toBeUndefined();
    expect(matchShortcut(key({ key: 'F1' }, field), false)?.command).toBe('help');
    expect(matchShortcut(key({ key: 'F10' }, field), false)?.command).toBe('stepCallback');
    field.remove();
  });

  it('each have a label and at least one combination', () => {
    for (const s of SHORTCUTS) {
      expect(s.label.length).toBeGreaterThan(3);
      expect(s.combos.length).toBeGreaterThan(0);
    }
  });
});

describe('the replay scrubber keys', () => {
  it('step by event with the arrows, by callback with Shift, by iteration with Alt; left goes back', () => {
    const cases: [KeyboardEventInit, unknown][] = [
      [{ key: 'ArrowLeft' }, { step: 'event', direction: 'back' }],
      [{ key: 'ArrowRight' }, { step: 'event', direction: 'forward' }],
      [{ key: 'ArrowLeft', shiftKey: true }, { step: 'callback', direction: 'back' }],
      [{ key: 'ArrowRight', shiftKey: true }, { step: 'callback', direction: 'forward' }],
      [{ key: 'ArrowLeft', altKey: true }, { step: 'iteration', direction: 'back' }],
      [{ key: 'ArrowRight', altKey: true }, { step: 'iteration', direction: 'forward' }],
      [{ key: 'PageUp' }, { step: 'marker', direction: 'back' }],
      [{ key: 'PageDown', shiftKey: true }, { step: 'error', direction: 'forward' }],
      [{ key: 'Home' }, { to: 'start' }],
      [{ key: 'End' }, { to: 'end' }],
      [{ key: ' ' }, { play: 'toggle' }],
      [{ key: 'ArrowUp' }, undefined],
      [{ key: 'ArrowLeft', ctrlKey: true }, undefined],
    ];
    for (const [init, action] of cases) expect(matchScrubberKey(key(init), false), JSON.stringify(init)).toEqual(action);
  });

  it('opens the history with Ctrl+Shift+H and lists the scrubber keys in the help', () => {
    expect(matchShortcut(key({ key: 'H', ctrlKey: true, shiftKey: true }), false)?.command).toBe('recordings');
    expect(matchShortcut(key({ key: 'h', ctrlKey: true }), false)).toBeUndefined();
    expect(CONTEXT_KEYS.find((k) => k.label.startsWith('Step by callback'))?.keys).toEqual(['Shift', '←', '→']);
  });
});
