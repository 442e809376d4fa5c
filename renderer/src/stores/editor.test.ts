import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost, settle, type FakeHost } from '../testing/fake-api';
import { useDialogStore } from './dialogs';
import { useEditorStore } from './editor';
import { useNotificationsStore } from './notifications';
import { useScenariosStore } from './scenarios';

const MINE = { location: 'workspace', path: 'mine.ts' } as const;
const EXAMPLE = { location: 'library', path: 'hello.ts' } as const;

describe('the editor store', () => {
  let host: FakeHost;
  beforeEach(async () => {
    setActivePinia(createPinia());
    host = installFakeHost({ 'library/hello.ts': "console.log('hi');\n", 'workspace/mine.ts': 'one\n', 'workspace/other.ts': 'two\n' });
    await useScenariosStore().refresh();
  });

  it('opens a scenario in a tab, once, and activates it', async () => {
    const editor = useEditorStore();
    expect(await editor.open(MINE)).toBe(true);
    expect(await editor.open(MINE)).toBe(true);
    expect(editor.documents.map((d) => d.key)).toEqual(['workspace/mine.ts']);
    expect(editor.active?.text).toBe('one\n');
    expect(editor.active?.readOnly).toBe(false);
    expect(host.calls.filter((c) => c.startsWith('read'))).toHaveLength(1);
  });

  it('marks a library example read-only and refuses to save it', async () => {
    const editor = useEditorStore();
    await editor.open(EXAMPLE);
    expect(editor.active?.readOnly).toBe(true);
    editor.edit('library/hello.ts', 'changed');
    expect(editor.isDirty(EXAMPLE)).toBe(false);
    const result = await editor.save();
    expect(result.ok).toBe(false);
    expect(host.calls.some((c) => c.startsWith('write'))).toBe(false);
  });

  it('tracks unsaved changes and clears them with a successful save', async () => {
    const editor = useEditorStore();
    await editor.open(MINE);
    editor.edit('workspace/mine.ts', 'one\nmore\n');
    expect(editor.isDirty(MINE)).toBe(true);
    expect(editor.dirtyCount).toBe(1);
    expect(await editor.save()).toEqual({ ok: true });
    expect(editor.isDirty(MINE)).toBe(false);
    expect(host.files.get('workspace/mine.ts')).toBe('one\nmore\n');
  });

  it('keeps the buffer and the dirty state when a save fails, and says why', async () => {
    const editor = useEditorStore();
    await editor.open(MINE);
    editor.edit('workspace/mine.ts', 'precious text');
    host.failures.write = 'EACCES: permission denied';
    const result = await editor.save();
    expect(result).toEqual({ ok: false, message: 'EACCES: permission denied' });
    expect(editor.active?.text).toBe('precious text');
    expect(editor.isDirty(MINE)).toBe(true);
    expect(editor.active?.saveError).toBe('EACCES: permission denied');
    expect(useNotificationsStore().notices.at(-1)?.message).toContain('Could not save mine.ts');
    expect(host.files.get('workspace/mine.ts')).toBe('one\n');
    // The next save works and clears the error.
    expect(await editor.save()).toEqual({ ok: true });
    expect(editor.active?.saveError).toBeNull();
    expect(host.files.get('workspace/mine.ts')).toBe('precious text');
  });

  it('leaves what was typed during a save dirty', async () => {
    const editor = useEditorStore();
    await editor.open(MINE);
    editor.edit('workspace/mine.ts', 'first');
    const saving = editor.save();
    editor.edit('workspace/mine.ts', 'first and second');
    await saving;
    expect(host.files.get('workspace/mine.ts')).toBe('first');
    expect(editor.isDirty(MINE)).toBe(true);
  });

  it('asks before closing a dirty tab: cancel keeps it, discard closes it', async () => {
    const editor = useEditorStore();
    const dialogs = useDialogStore();
    await editor.open(MINE);
    editor.edit('workspace/mine.ts', 'unsaved');

    const cancelled = editor.close(MINE);
    await settle();
    expect(dialogs.current?.message).toContain('mine.ts');
    dialogs.answer('cancel');
    expect(await cancelled).toBe(false);
    expect(editor.documents).toHaveLength(1);

    const discarded = editor.close(MINE);
    await settle();
    dialogs.answer('discard');
    expect(await discarded).toBe(true);
    expect(editor.documents).toHaveLength(0);
    expect(host.files.get('workspace/mine.ts')).toBe('one\n');
  });

  it('saves first when the user chooses Save on close, and stays open if that fails', async () => {
    const editor = useEditorStore();
    const dialogs = useDialogStore();
    await editor.open(MINE);
    editor.edit('workspace/mine.ts', 'keep');
    host.failures.write = 'disk full';
    const failing = editor.close(MINE);
    await settle();
    dialogs.answer('save');
    expect(await failing).toBe(false);
    expect(editor.active?.text).toBe('keep');

    const closing = editor.close(MINE);
    await settle();
    dialogs.answer('save');
    expect(await closing).toBe(true);
    expect(host.files.get('workspace/mine.ts')).toBe('keep');
  });

  it('closes a clean tab without asking and activates its neighbour', async () => {
    const editor = useEditorStore();
    await editor.open(MINE);
    await editor.open({ location: 'workspace', path: 'other.ts' });
    editor.activate('workspace/mine.ts');
    expect(await editor.close(MINE)).toBe(true);
    expect(useDialogStore().current).toBeNull();
    expect(editor.activeKey).toBe('workspace/other.ts');
  });

  it('follows a rename with the buffer, the dirty state and the markers', async () => {
    const editor = useEditorStore();
    await editor.open(MINE);
    editor.edit('workspace/mine.ts', 'edited');
    editor.setMarkers(MINE, [{ line: 1, column: 1, message: 'boom' }]);
    const result = await useScenariosStore().rename(MINE, 'renamed');
    expect(result.ok).toBe(true);
    expect(editor.activeKey).toBe('workspace/renamed.ts');
    expect(editor.active?.name).toBe('renamed.ts');
    expect(editor.active?.text).toBe('edited');
    expect(editor.isDirty({ location: 'workspace', path: 'renamed.ts' })).toBe(true);
    expect(editor.markers['workspace/renamed.ts']).toEqual([{ line: 1, column: 1, message: 'boom' }]);
  });

  it('keeps markers per scenario, replaced by the next call, cleared on demand', () => {
    const editor = useEditorStore();
    editor.setMarkers(MINE, [{ line: 3, column: 5, message: 'TypeError: x is not a function' }]);
    editor.setMarkers(MINE, [{ line: 4, column: 1, message: 'ReferenceError: y is not defined' }]);
    expect(editor.markers['workspace/mine.ts']).toEqual([{ line: 4, column: 1, message: 'ReferenceError: y is not defined' }]);
    editor.clearMarkers(MINE);
    expect(editor.markers['workspace/mine.ts']).toBeUndefined();
  });

  it('drops the tab and says so when a scenario cannot be read', async () => {
    const editor = useEditorStore();
    expect(await editor.open({ location: 'workspace', path: 'missing.ts' })).toBe(false);
    expect(editor.documents).toHaveLength(0);
    expect(useNotificationsStore().notices.at(-1)).toMatchObject({ tone: 'error', message: 'Could not open missing.ts: No scenario at workspace/missing.ts' });
  });
});
