import { describe, expect, it } from 'vitest';
import { comboKeys, matchShortcut, shortcutHint, SHORTCUTS } from './keybindings';

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
