import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost, settle, type FakeHost } from '../testing/fake-api';
import { useDialogStore } from '../stores/dialogs';
import { useEditorStore } from '../stores/editor';
import { useScenariosStore } from '../stores/scenarios';
import EditorArea from './EditorArea.vue';

/** Monaco does not run in happy-dom; the editor view is replaced by a stub. */
const mountArea = () => mount(EditorArea, { global: { stubs: { MonacoEditor: { template: '<div data-testid="monaco-stub" />' } } } });

describe('EditorArea', () => {
  let host: FakeHost;
  beforeEach(async () => {
    setActivePinia(createPinia());
    host = installFakeHost({ 'library/hello.ts': 'hello\n', 'workspace/mine.ts': 'mine\n' });
    await useScenariosStore().refresh();
  });

  it('shows the welcome page until a scenario is open', async () => {
    const wrapper = mountArea();
    expect(wrapper.find('[data-testid=welcome]').exists()).toBe(true);
    await useEditorStore().open({ location: 'workspace', path: 'mine.ts' });
    await flushPromises();
    expect(wrapper.find('[data-testid=welcome]').exists()).toBe(false);
    expect(wrapper.find('[data-testid=monaco-stub]').exists()).toBe(true);
  });

  it('marks a dirty tab and clears the mark after saving', async () => {
    const wrapper = mountArea();
    const editor = useEditorStore();
    await editor.open({ location: 'workspace', path: 'mine.ts' });
    editor.edit('workspace/mine.ts', 'changed');
    await flushPromises();
    const tab = wrapper.get('[data-testid=editor-tab]');
    expect(tab.attributes('data-dirty')).toBe('true');
    expect(tab.find('[data-testid=editor-tab-dirty]').exists()).toBe(true);
    await editor.save();
    await flushPromises();
    expect(wrapper.get('[data-testid=editor-tab]').attributes('data-dirty')).toBe('false');
    expect(wrapper.find('[data-testid=editor-tab-dirty]').exists()).toBe(false);
  });

  it('tells two tabs of the same file name apart by their location', async () => {
    const wrapper = mountArea();
    await useScenariosStore().copyToWorkspace({ location: 'library', path: 'hello.ts' });
    await useEditorStore().open({ location: 'library', path: 'hello.ts' });
    await flushPromises();
    const tabs = wrapper.findAll('[data-testid=editor-tab]');
    expect(tabs.map((t) => t.text())).toEqual([expect.stringContaining('hello.tsworkspace'), expect.stringContaining('hello.tslibrary')]);
  });

  it('says a library example is read-only and offers the copy', async () => {
    const wrapper = mountArea();
    await useEditorStore().open({ location: 'library', path: 'hello.ts' });
    await flushPromises();
    expect(wrapper.get('[data-testid=editor-readonly-notice]').text()).toContain('read-only');
    await wrapper.get('[data-testid=editor-copy]').trigger('click');
    await settle();
    expect(host.files.get('workspace/hello.ts')).toBe('hello\n');
    expect(useEditorStore().activeKey).toBe('workspace/hello.ts');
  });

  it('shows why a save failed, with the text kept', async () => {
    const wrapper = mountArea();
    const editor = useEditorStore();
    await editor.open({ location: 'workspace', path: 'mine.ts' });
    editor.edit('workspace/mine.ts', 'precious');
    host.failures.write = 'ENOSPC: no space left on device';
    await editor.save();
    await flushPromises();
    expect(wrapper.get('[data-testid=editor-save-error]').text()).toContain('ENOSPC: no space left on device');
    expect(editor.active?.text).toBe('precious');
  });

  it('asks before closing a dirty tab from its close button', async () => {
    const wrapper = mountArea();
    const editor = useEditorStore();
    await editor.open({ location: 'workspace', path: 'mine.ts' });
    editor.edit('workspace/mine.ts', 'unsaved');
    await flushPromises();
    await wrapper.get('[data-testid=editor-tab-close]').trigger('click');
    await settle();
    expect(useDialogStore().current?.title).toBe('Unsaved changes');
    useDialogStore().answer('cancel');
    await settle();
    expect(wrapper.findAll('[data-testid=editor-tab]')).toHaveLength(1);
  });
});
