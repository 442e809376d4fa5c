import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import ConfirmDialog from '../components/ConfirmDialog.vue';
import { installFakeHost, installFakeRuns, settle, type FakeRuns } from '../testing/fake-api';
import { useEditorStore } from './editor';
import { PYTHON_NOTICE } from './python-notice';
import { useRunStore } from './run';
import { useScenariosStore } from './scenarios';

let runs: FakeRuns;
const starts = () => runs.calls.filter((c) => c.method === 'start').length;

async function open(path: string): Promise<void> {
  await useScenariosStore().refresh();
  await useEditorStore().open({ location: 'workspace', path });
}

describe('the one-time notice before a Python run', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    runs = installFakeRuns(installFakeHost({ 'workspace/mine.ts': 'x\n', 'workspace/hello.py': 'print(1)\n' }));
  });

  it('asks before the first Python run, runs once accepted, and never asks again (remembered)', async () => {
    await open('hello.py');
    const dialog = mount(ConfirmDialog);
    const first = useRunStore().execute('run');
    await settle();
    expect(dialog.get('[data-testid=confirm-dialog]').text()).toContain(PYTHON_NOTICE.title);
    expect(dialog.text()).toContain('not sandboxed');
    expect(dialog.text()).toContain('No payloads');
    expect(starts()).toBe(0);
    await dialog.get('[data-testid=confirm-run]').trigger('click');
    expect(await first).toEqual({ ok: true });
    expect(starts()).toBe(1);

    await useRunStore().execute('stop');
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'finished' });
    await settle();
    // A new session of the app (a reload) remembers the answer.
    setActivePinia(createPinia());
    await open('hello.py');
    const dialogAgain = mount(ConfirmDialog);
    await useRunStore().execute('run');
    await settle();
    expect(dialogAgain.find('[data-testid=confirm-dialog]').exists()).toBe(false);
    expect(starts()).toBe(2);
  });

  it('starts nothing when the notice is cancelled, and asks again next time', async () => {
    await open('hello.py');
    const dialog = mount(ConfirmDialog);
    const first = useRunStore().execute('run');
    await settle();
    await dialog.get('[data-testid=confirm-cancel]').trigger('click');
    await first;
    expect(starts()).toBe(0);
    void useRunStore().execute('run');
    await settle();
    expect(dialog.find('[data-testid=confirm-dialog]').exists()).toBe(true);
  });

  it('does not ask before a TypeScript run', async () => {
    await open('mine.ts');
    const dialog = mount(ConfirmDialog);
    await useRunStore().execute('run');
    await settle();
    expect(dialog.find('[data-testid=confirm-dialog]').exists()).toBe(false);
    expect(starts()).toBe(1);
  });
});
