import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost, settle, type FakeHost } from '../testing/fake-api';
import { useDialogStore } from './dialogs';
import { useEditorStore } from './editor';
import { useScenariosStore } from './scenarios';

describe('the scenarios store', () => {
  let host: FakeHost;
  beforeEach(async () => {
    setActivePinia(createPinia());
    host = installFakeHost({
      'library/hello.ts': "export const meta = { title: 'Hello world', description: 'Says hello.' };\n",
      'workspace/mine.ts': 'mine\n',
    });
    await useScenariosStore().refresh();
  });

  it('splits the listing into the library and the workspace', () => {
    const scenarios = useScenariosStore();
    expect(scenarios.status).toBe('ready');
    expect(scenarios.library.map((e) => e.title)).toEqual(['Hello world']);
    expect(scenarios.workspace.map((e) => e.ref.path)).toEqual(['mine.ts']);
    expect(scenarios.folders?.workspace).toBe('/home/me/Loopwright/scenarios');
  });

  it('says why the list could not be read', async () => {
    const scenarios = useScenariosStore();
    host.failures.list = 'EACCES: permission denied, scandir';
    await scenarios.refresh();
    expect(scenarios.status).toBe('error');
    expect(scenarios.problem).toBe('EACCES: permission denied, scandir');
  });

  it('creates a workspace scenario, adding .ts, and opens it', async () => {
    const scenarios = useScenariosStore();
    const result = await scenarios.create('  fresh ');
    expect(result.ok).toBe(true);
    expect(host.calls).toContain('create workspace/fresh.ts');
    expect(scenarios.selectedKey).toBe('workspace/fresh.ts');
    await settle();
    expect(useEditorStore().activeKey).toBe('workspace/fresh.ts');
  });

  it('refuses a bad name before asking the host, and passes the host’s refusal on', async () => {
    const scenarios = useScenariosStore();
    expect(await scenarios.create('../escape')).toEqual({ ok: false, message: 'A path may not contain empty parts, "." or "..".' });
    expect(host.calls.some((c) => c.startsWith('create'))).toBe(false);
    expect(await scenarios.create('mine.ts')).toEqual({ ok: false, message: 'Mine.ts already exists' });
  });

  it('deletes only after the user confirms, and closes the tab', async () => {
    const scenarios = useScenariosStore();
    const editor = useEditorStore();
    const dialogs = useDialogStore();
    const mine = { location: 'workspace', path: 'mine.ts' } as const;
    await editor.open(mine);

    const kept = scenarios.remove(mine);
    await settle();
    expect(dialogs.current?.title).toBe('Delete scenario');
    dialogs.answer('cancel');
    expect((await kept).ok).toBe(false);
    expect(host.files.has('workspace/mine.ts')).toBe(true);

    const removed = scenarios.remove(mine);
    await settle();
    dialogs.answer('confirm');
    expect((await removed).ok).toBe(true);
    expect(host.files.has('workspace/mine.ts')).toBe(false);
    expect(scenarios.workspace).toHaveLength(0);
    expect(editor.documents).toHaveLength(0);
  });

  it('copies a library example to the workspace under a free name', async () => {
    const scenarios = useScenariosStore();
    const hello = { location: 'library', path: 'hello.ts' } as const;
    expect((await scenarios.copyToWorkspace(hello)).ok).toBe(true);
    expect((await scenarios.copyToWorkspace(hello)).ok).toBe(true);
    expect(host.files.get('workspace/hello.ts')).toBe(host.files.get('library/hello.ts'));
    expect(host.files.has('workspace/hello-2.ts')).toBe(true);
    expect(scenarios.selectedKey).toBe('workspace/hello-2.ts');
  });
});
