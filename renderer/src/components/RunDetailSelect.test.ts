import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost, installFakeRuns, settle, type FakeRuns } from '../testing/fake-api';
import { useDialogStore } from '../stores/dialogs';
import { useEditorStore } from '../stores/editor';
import { useRunStore } from '../stores/run';
import { useScenariosStore } from '../stores/scenarios';
import { PYTHON_NOTICE } from '../stores/python-notice';
import RunDetailSelect from './RunDetailSelect.vue';

let runs: FakeRuns;

async function open(path: string): Promise<void> {
  await useScenariosStore().refresh();
  await useEditorStore().open({ location: 'workspace', path });
}

describe('RunDetailSelect', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    runs = installFakeRuns(installFakeHost({ 'workspace/mine.ts': 'x\n', 'workspace/hello.py': 'print(1)\n' }));
  });

  it('offers tasks-only to Python programs only, and the notice again beside it', async () => {
    await open('mine.ts');
    const wrapper = mount(RunDetailSelect);
    const select = wrapper.get('[data-testid=run-detail-select]');
    expect((select.element as HTMLSelectElement).value).toBe('full');
    expect(select.findAll('option').map((o) => [o.text(), o.attributes('disabled') !== undefined])).toEqual([
      ['Full', false],
      ['No payloads', false],
      ['Tasks only (Python)', true],
    ]);
    expect(wrapper.find('[data-testid=run-python-notice]').exists()).toBe(false);

    await open('hello.py');
    await wrapper.vm.$nextTick();
    expect(select.findAll('option').map((o) => o.attributes('disabled') !== undefined)).toEqual([false, false, false]);
    await wrapper.get('[data-testid=run-python-notice]').trigger('click');
    expect(useDialogStore().current).toMatchObject({ title: PYTHON_NOTICE.title, actions: [{ id: 'ok' }] });
  });

  it('remembers the level chosen (a reload finds it) and sends it with the next run', async () => {
    await open('hello.py');
    const wrapper = mount(RunDetailSelect);
    await wrapper.get('[data-testid=run-detail-select]').setValue('tasks');
    expect(useRunStore().detail).toBe('tasks');
    setActivePinia(createPinia());
    expect(useRunStore().detail).toBe('tasks');

    localStorage.setItem('loopwright.python.noticeSeen', 'true');
    setActivePinia(createPinia());
    await open('hello.py');
    await useRunStore().execute('run');
    expect(runs.calls.find((c) => c.method === 'start')?.args[0]).toMatchObject({ scenario: { path: 'hello.py' }, detail: 'tasks' });
  });

  it('runs a TypeScript scenario without payloads when tasks-only was chosen for Python', async () => {
    localStorage.setItem('loopwright.run.detail', '"tasks"');
    await open('mine.ts');
    const wrapper = mount(RunDetailSelect);
    expect((wrapper.get('[data-testid=run-detail-select]').element as HTMLSelectElement).value).toBe('callbacks');
    await useRunStore().execute('run');
    await settle();
    expect(runs.calls.find((c) => c.method === 'start')?.args[0]).toMatchObject({ scenario: { path: 'mine.ts' }, detail: 'callbacks' });
  });
});
