import type { RunCommand } from './stores/run';
import type { ReplayStep } from './stores/replay';

/** What a shortcut does. */
export type ShortcutCommand = RunCommand | 'save' | 'help' | 'recordings';

/** A key combination. `mod` is Ctrl, or ⌘ on macOS. */
export interface KeyCombo {
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** Off while typing in the editor or a text field (a printable key such as `?`). */
  notWhileTyping?: boolean;
}

/** A keyboard shortcut of the workbench, as the help overlay lists it. */
export interface Shortcut {
  command: ShortcutCommand;
  label: string;
  group: 'Run' | 'Editor' | 'Workbench' | 'Replay';
  combos: readonly KeyCombo[];
}

/**
 * The workbench's shortcuts, debugger-style: VS Code's Shift+F5 (stop), F6 (pause), F10 (step);
 * Chrome DevTools' F8 (resume). Step iteration takes F11, or Shift+F11 where full screen owns F11
 * (VS Code's step keys, the next coarser step here), and run-to-next-timer Shift+F10. They work inside Monaco too: the handler runs in the
 * capture phase, before the editor's own key bindings (F8 and F1 mean something else there).
 */
export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'run', label: 'Run the scenario', group: 'Run', combos: [{ key: 'Enter', mod: true }] },
  { command: 'stop', label: 'Stop the run', group: 'Run', combos: [{ key: 'F5', shift: true }] },
  { command: 'pause', label: 'Pause before the next callback', group: 'Run', combos: [{ key: 'F6' }] },
  { command: 'resume', label: 'Resume', group: 'Run', combos: [{ key: 'F8' }] },
  { command: 'stepCallback', label: 'Step one callback', group: 'Run', combos: [{ key: 'F10' }] },
  // Shift+F11 too: a browser's full screen (and Electron's View menu) may keep F11 for itself.
  { command: 'stepIteration', label: 'Step one loop iteration', group: 'Run', combos: [{ key: 'F11' }, { key: 'F11', shift: true }] },
  { command: 'runToNextTimer', label: 'Run to the next timer', group: 'Run', combos: [{ key: 'F10', shift: true }] },
  { command: 'save', label: 'Save the scenario', group: 'Editor', combos: [{ key: 's', mod: true }] },
  { command: 'help', label: 'Keyboard shortcuts', group: 'Workbench', combos: [{ key: 'F1' }, { key: '?', notWhileTyping: true }] },
  // H for history; Ctrl+H alone is the browser's own history.
  { command: 'recordings', label: 'Show the recordings', group: 'Replay', combos: [{ key: 'h', mod: true, shift: true }] },
];

/** What a key does while the replay scrubber has the focus. */
export type ScrubberAction =
  | { step: ReplayStep; direction: 'forward' | 'back' }
  | { to: 'start' | 'end' }
  | { play: 'toggle' };

/** The replay scrubber's keys: arrows step by event, with Shift by callback, with Alt by iteration. */
export const SCRUBBER_KEYS: readonly { label: string; combos: readonly KeyCombo[]; action: ScrubberAction }[] = [
  { label: 'Step by event', combos: [{ key: 'ArrowLeft' }, { key: 'ArrowRight' }], action: { step: 'event', direction: 'forward' } },
  { label: 'Step by callback', combos: [{ key: 'ArrowLeft', shift: true }, { key: 'ArrowRight', shift: true }], action: { step: 'callback', direction: 'forward' } },
  { label: 'Step by iteration', combos: [{ key: 'ArrowLeft', alt: true }, { key: 'ArrowRight', alt: true }], action: { step: 'iteration', direction: 'forward' } },
  { label: 'Previous / next marker', combos: [{ key: 'PageUp' }, { key: 'PageDown' }], action: { step: 'marker', direction: 'forward' } },
  { label: 'Previous / next error', combos: [{ key: 'PageUp', shift: true }, { key: 'PageDown', shift: true }], action: { step: 'error', direction: 'forward' } },
  { label: 'First / last line', combos: [{ key: 'Home' }, { key: 'End' }], action: { to: 'start' } },
  { label: 'Play at 1× / pause', combos: [{ key: ' ' }], action: { play: 'toggle' } },
];

/** The scrubber action of a key event, if any (its direction from the key: left and up go back). */
export function matchScrubberKey(event: KeyboardEvent, mac = isMac()): ScrubberAction | undefined {
  for (const entry of SCRUBBER_KEYS) {
    const index = entry.combos.findIndex((c) => matches(c, event, mac));
    if (index < 0) continue;
    const action = entry.action;
    if ('step' in action) return { step: action.step, direction: index === 0 ? 'back' : 'forward' };
    if ('to' in action) return { to: index === 0 ? 'start' : 'end' };
    return action;
  }
  return undefined;
}

/** Key caps for keys whose names are long. */
const KEY_CAPS: Record<string, string> = { ' ': 'Space', ArrowLeft: '←', ArrowRight: '→', PageUp: 'PgUp', PageDown: 'PgDn' };

/** Keys that are not shortcuts of their own but are listed in the help overlay. */
export const CONTEXT_KEYS: readonly { label: string; group: string; keys: readonly string[] }[] = [
  { label: 'Move through the scenarios', group: 'Explorer', keys: ['↑', '↓', 'Home', 'End'] },
  { label: 'Open the selected scenario', group: 'Explorer', keys: ['Enter'] },
  { label: 'Rename (workspace)', group: 'Explorer', keys: ['F2'] },
  { label: 'Delete (workspace, asks first)', group: 'Explorer', keys: ['Delete'] },
  { label: 'Suggestions', group: 'Editor', keys: ['Ctrl', 'Space'] },
  { label: 'Find in the scenario', group: 'Editor', keys: ['Mod', 'F'] },
  { label: 'Send the typed line', group: 'Terminal', keys: ['Enter'] },
  { label: 'Find in the terminal', group: 'Terminal', keys: ['Mod', 'F'] },
  { label: 'Copy the selection', group: 'Terminal', keys: ['Ctrl', 'Shift', 'C'] },
  { label: 'End input of a Connect tab', group: 'Terminal', keys: ['Ctrl', 'D'] },
  { label: 'Close a dialog or this overlay', group: 'Workbench', keys: ['Esc'] },
  { label: 'Open the selected recording', group: 'Replay', keys: ['Enter'] },
  { label: 'Leave replay mode', group: 'Replay', keys: ['Esc'] },
  // The scrubber's pairs share their modifiers: "Shift ← →".
  ...SCRUBBER_KEYS.map((k) => ({
    label: `${k.label} (scrubber)`,
    group: 'Replay',
    keys: [...comboKeys(k.combos[0], false).slice(0, -1), ...k.combos.map((c) => KEY_CAPS[c.key] ?? c.key)],
  })),
];

/** Whether the platform uses ⌘ where others use Ctrl. */
export function isMac(): boolean {
  const nav = globalThis.navigator as (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  const platform = nav?.userAgentData?.platform ?? nav?.platform ?? '';
  return /mac|iphone|ipad/i.test(platform);
}

/** The key caps of a combination, e.g. ['Ctrl', 'Enter'] or ['⌘', 'Enter']. */
export function comboKeys(combo: KeyCombo, mac = isMac()): string[] {
  const keys: string[] = [];
  if (combo.mod) keys.push(mac ? '⌘' : 'Ctrl');
  if (combo.alt) keys.push(mac ? '⌥' : 'Alt');
  if (combo.shift) keys.push(mac ? '⇧' : 'Shift');
  keys.push(combo.key.length === 1 ? combo.key.toUpperCase() : combo.key);
  return keys;
}

/** The label of a shortcut's first combination, for tooltips: "Run (Ctrl+Enter)". */
export function shortcutHint(command: ShortcutCommand, mac = isMac()): string {
  const shortcut = SHORTCUTS.find((s) => s.command === command);
  return shortcut ? comboKeys(shortcut.combos[0], mac).join(mac ? '' : '+') : '';
}

function matches(combo: KeyCombo, event: KeyboardEvent, mac: boolean): boolean {
  const mod = mac ? event.metaKey : event.ctrlKey;
  const other = mac ? event.ctrlKey : event.metaKey;
  if (combo.key === '?') return event.key === '?' && !mod && !other && !event.altKey;
  return event.key.toLowerCase() === combo.key.toLowerCase() && mod === Boolean(combo.mod) && !other && event.shiftKey === Boolean(combo.shift) && event.altKey === Boolean(combo.alt);
}

/** Whether the event comes from a place where keys type text (a field, Monaco's input area). */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target || typeof target.closest !== 'function') return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}

/** The shortcut a key event triggers, if any. */
export function matchShortcut(event: KeyboardEvent, mac = isMac()): Shortcut | undefined {
  const typing = isTyping(event);
  return SHORTCUTS.find((s) => s.combos.some((c) => (!c.notWhileTyping || !typing) && matches(c, event, mac)));
}
