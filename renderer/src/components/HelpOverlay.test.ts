import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { SHORTCUTS } from '../keybindings';
import { useDialogStore } from '../stores/dialogs';
import { useLayoutStore } from '../stores/layout';
import { PYTHON_NOTICE } from '../stores/python-notice';
import HelpOverlay from './HelpOverlay.vue';

describe('HelpOverlay', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists every shortcut with its keys', () => {
    const wrapper = mount(HelpOverlay);
    for (const shortcut of SHORTCUTS) {
      expect(wrapper.text()).toContain(shortcut.label);
      expect(wrapper.find(`[data-testid=help-keys-${shortcut.command}]`).exists()).toBe(true);
    }
    expect(wrapper.get('[data-testid=help-keys-stop]').text()).toBe('ShiftF5');
    expect(wrapper.text()).toContain('Rename (workspace)');
  });

  it('shows the notice about Python programs again, and Tab moves between its buttons', async () => {
    const layout = useLayoutStore();
    layout.toggleHelp(true);
    const wrapper = mount(HelpOverlay, { attachTo: document.body });
    await nextTick();
    wrapper.get<HTMLElement>('[data-testid=help-close]').element.focus();
    await wrapper.get('[role=dialog]').trigger('keydown', { key: 'Tab' });
    expect(document.activeElement).toBe(wrapper.get('[data-testid=help-python-notice]').element);
    await wrapper.get('[role=dialog]').trigger('keydown', { key: 'Tab' });
    expect(document.activeElement).toBe(wrapper.get('[data-testid=help-close]').element);
    await wrapper.get('[data-testid=help-python-notice]').trigger('click');
    expect(layout.helpOpen).toBe(false);
    expect(useDialogStore().current).toMatchObject({ title: PYTHON_NOTICE.title });
    wrapper.unmount();
  });

  it('closes with Escape and with its close button', async () => {
    const layout = useLayoutStore();
    layout.toggleHelp(true);
    const wrapper = mount(HelpOverlay);
    await wrapper.get('[role=dialog]').trigger('keydown', { key: 'Escape' });
    expect(layout.helpOpen).toBe(false);
    layout.toggleHelp(true);
    await wrapper.get('[data-testid=help-close]').trigger('click');
    expect(layout.helpOpen).toBe(false);
  });
});
