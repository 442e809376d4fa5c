import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost, settle, type FakeHost } from '../testing/fake-api';
import { useDialogStore } from '../stores/dialogs';
import { useEditorStore } from '../stores/editor';
import { useLayoutStore } from '../stores/layout';
import { useScenariosStore } from '../stores/scenarios';
import ScenarioExplorer from './ScenarioExplorer.vue';

async function mountExplorer() {
  const wrapper = mount(ScenarioExplorer, { attachTo: document.body });
  await useScenariosStore().refresh();
  await flushPromises();
  return wrapper;
}

describe('ScenarioExplorer', () => {
  let host: FakeHost;
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
    setActivePinia(createPinia());
    host = installFakeHost({
      'library/a-hello.ts': "export const meta = { title: 'Hello world', description: 'The first example.' };\n",
      'library/b-tasks.ts': "export const meta = { title: 'Ten tasks', description: 'Tasks in parallel.' };\n",
      'workspace/mine.ts': 'mine\n',
    });
  });

  it('lists the library by title and the workspace by file name, with counts', async () => {
    const wrapper = await mountExplorer();
    expect(wrapper.get('[data-testid=explorer-group-library]').text()).toContain('2');
    const rows = wrapper.findAll('[data-testid=scenario-row]');
    expect(rows.map((r) => r.attributes('data-key'))).toEqual(['library/a-hello.ts', 'library/b-tasks.ts', 'workspace/mine.ts']);
    expect(rows[0].text()).toContain('Hello world');
    expect(rows[2].text()).toContain('mine.ts');
  });

  it('badges each scenario with its language, so a Python twin stands out beside its TypeScript example', async () => {
    host = installFakeHost({
      'library/hello-world.py': '# a program\n',
      'library/hello-world.ts': "export const meta = { title: 'Hello world' };\n",
      'workspace/tool.js': 'x\n',
    });
    const wrapper = await mountExplorer();
    const badges = wrapper.findAll('[data-testid=scenario-language]');
    expect(badges.map((b) => [b.text(), b.attributes('title')])).toEqual([
      ['PY', 'Python'],
      ['TS', 'TypeScript'],
      ['JS', 'JavaScript'],
    ]);
    expect(badges[0].classes()).toContain('python');

    // The details of an example name its twin in the other language, and open it.
    await wrapper.get('[data-testid=scenario-row][data-key="library/hello-world.ts"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid=details-twin]').text()).toBe('hello-world.py');
    expect(wrapper.get('[data-testid=scenario-details]').text()).toContain('Twin in Python');
    await wrapper.get('[data-testid=details-twin]').trigger('click');
    await flushPromises();
    expect(useEditorStore().activeKey).toBe('library/hello-world.py');
    expect(wrapper.get('[data-testid=details-twin]').text()).toBe('hello-world.ts');
    // A scenario without a twin shows none.
    await wrapper.get('[data-testid=scenario-row][data-key="workspace/tool.js"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=details-twin]').exists()).toBe(false);
  });

  it('moves with the arrow keys, shows the description, and opens with Enter', async () => {
    const wrapper = await mountExplorer();
    const tree = wrapper.get('[data-testid=explorer-tree]');
    await tree.trigger('focus');
    await tree.trigger('keydown', { key: 'ArrowDown' });
    expect(wrapper.get('[data-testid=details-title]').text()).toBe('Hello world');
    expect(wrapper.get('[data-testid=details-description]').text()).toBe('The first example.');
    await tree.trigger('keydown', { key: 'ArrowDown' });
    expect(wrapper.get('[data-testid=details-title]').text()).toBe('Ten tasks');
    expect(tree.attributes('aria-activedescendant')).toBe(wrapper.findAll('[data-testid=scenario-row]')[1].attributes('id'));
    await tree.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(useEditorStore().activeKey).toBe('library/b-tasks.ts');
  });

  it('collapses a group with ArrowLeft and skips its rows', async () => {
    const wrapper = await mountExplorer();
    const tree = wrapper.get('[data-testid=explorer-tree]');
    await tree.trigger('focus');
    await tree.trigger('keydown', { key: 'Home' });
    await tree.trigger('keydown', { key: 'ArrowLeft' });
    expect(useLayoutStore().collapsed.library).toBe(true);
    expect(wrapper.findAll('[data-testid=scenario-row]')).toHaveLength(1);
    await tree.trigger('keydown', { key: 'ArrowDown' });
    await tree.trigger('keydown', { key: 'ArrowDown' });
    expect(useScenariosStore().selectedKey).toBe('workspace/mine.ts');
  });

  it('creates a scenario inline and shows the host’s refusal where it was typed', async () => {
    const wrapper = await mountExplorer();
    await wrapper.get('[data-testid=explorer-new]').trigger('click');
    const input = wrapper.get('[data-testid=explorer-name-input]');
    await input.setValue('mine');
    await input.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(wrapper.get('[data-testid=explorer-error]').text()).toBe('Mine.ts already exists');
    await input.setValue('fresh');
    await input.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(wrapper.find('[data-testid=explorer-name-input]').exists()).toBe(false);
    expect(host.files.has('workspace/fresh.ts')).toBe(true);
    expect(wrapper.find('[data-key="workspace/fresh.ts"]').exists()).toBe(true);
  });

  it('renames with F2 and deletes with Delete after confirming', async () => {
    const wrapper = await mountExplorer();
    const tree = wrapper.get('[data-testid=explorer-tree]');
    await tree.trigger('focus');
    await tree.trigger('keydown', { key: 'End' });
    await tree.trigger('keydown', { key: 'F2' });
    const input = wrapper.get('[data-testid=explorer-name-input]');
    expect((input.element as HTMLInputElement).value).toBe('mine.ts');
    await input.setValue('yours.ts');
    await input.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(host.files.has('workspace/yours.ts')).toBe(true);

    await tree.trigger('keydown', { key: 'Delete' });
    await settle();
    expect(useDialogStore().current?.message).toContain('yours.ts');
    useDialogStore().answer('confirm');
    await settle();
    expect(host.files.has('workspace/yours.ts')).toBe(false);
    expect(wrapper.find('[data-key="workspace/yours.ts"]').exists()).toBe(false);
  });

  it('offers no rename or delete for library examples', async () => {
    const wrapper = await mountExplorer();
    const tree = wrapper.get('[data-testid=explorer-tree]');
    await tree.trigger('focus');
    await tree.trigger('keydown', { key: 'ArrowDown' });
    await tree.trigger('keydown', { key: 'F2' });
    await tree.trigger('keydown', { key: 'Delete' });
    expect(wrapper.find('[data-testid=explorer-name-input]').exists()).toBe(false);
    expect(useDialogStore().current).toBeNull();
    expect(wrapper.find('[data-testid=details-copy]').exists()).toBe(true);
    expect(wrapper.find('[data-testid=details-delete]').exists()).toBe(false);
  });
});
