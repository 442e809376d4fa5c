import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost } from '../testing/fake-api';
import { useEditorStore } from '../stores/editor';
import { useScenariosStore } from '../stores/scenarios';
import EditorTabs from './EditorTabs.vue';

describe('EditorTabs', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    installFakeHost({ 'library/hello-world.py': 'print(1)\n', 'library/hello-world.ts': 'x\n' });
  });

  it("shows each open scenario's language on its tab (PY for a Python program)", async () => {
    await useScenariosStore().refresh();
    const editor = useEditorStore();
    await editor.open({ location: 'library', path: 'hello-world.ts' });
    await editor.open({ location: 'library', path: 'hello-world.py' });
    const wrapper = mount(EditorTabs);
    const badges = wrapper.findAll('[data-testid=editor-tab-language]');
    expect(badges.map((b) => [b.text(), b.attributes('title')])).toEqual([
      ['TS', 'TypeScript'],
      ['PY', 'Python'],
    ]);
  });
});
