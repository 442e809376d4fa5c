import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost, installFakeRuns } from '../testing/fake-api';
import { useEditorStore } from '../stores/editor';
import { useNotificationsStore } from '../stores/notifications';
import { useScenariosStore } from '../stores/scenarios';
import RunToolbar from './RunToolbar.vue';

describe('RunToolbar', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    installFakeRuns(installFakeHost({ 'workspace/mine.ts': 'x\n', 'workspace/mine.py': 'print(1)\n' }));
  });

  it('shows every run command with its shortcut; without a scenario they say why they are off', () => {
    const wrapper = mount(RunToolbar);
    const expected: Record<string, string> = {
      run: 'Run (Ctrl+Enter)',
      stop: 'Stop (Shift+F5)',
      pause: 'Pause (F6)',
      resume: 'Resume (F8)',
      stepCallback: 'Step callback (F10)',
      stepIteration: 'Step iteration (F11)',
      runToNextTimer: 'Run to next timer (Shift+F10)',
    };
    for (const [command, title] of Object.entries(expected)) {
      const button = wrapper.get(`[data-testid=run-${command}]`);
      expect(button.attributes('aria-disabled')).toBe('true');
      expect(button.attributes('title')).toBe(`${title}\nOpen a scenario first.`);
    }
    expect(wrapper.get('[data-testid=run-clock-real]').attributes('aria-checked')).toBe('true');
    expect(wrapper.get('[data-testid=run-state]').text()).toContain('No run');
  });

  it('enables Run and the steps once a scenario is open, and switches the clock', async () => {
    await useScenariosStore().refresh();
    await useEditorStore().open({ location: 'workspace', path: 'mine.ts' });
    const wrapper = mount(RunToolbar);
    expect(wrapper.get('[data-testid=run-run]').attributes('aria-disabled')).toBe('false');
    expect(wrapper.get('[data-testid=run-stepCallback]').attributes('title')).toContain('starts the scenario paused');
    expect(wrapper.get('[data-testid=run-stop]').attributes('aria-disabled')).toBe('true');
    // The state and the file's name apart: on a narrow toolbar the name gives way (an ellipsis), never the state.
    expect(wrapper.get('[data-testid=run-state-label]').text()).toBe('No run');
    expect(wrapper.get('[data-testid=run-state] .state-name').text()).toBe('· mine.ts');
    await wrapper.get('[data-testid=run-clock-virtual]').trigger('click');
    expect(wrapper.get('[data-testid=run-clock-virtual]').attributes('aria-checked')).toBe('true');
  });

  it('shows the real clock for a Python program, whose interpreter keeps its own, and says why Virtual is off', async () => {
    await useScenariosStore().refresh();
    const wrapper = mount(RunToolbar);
    await wrapper.get('[data-testid=run-clock-virtual]').trigger('click');
    await useEditorStore().open({ location: 'workspace', path: 'mine.py' });
    await wrapper.vm.$nextTick();
    const virtual = wrapper.get('[data-testid=run-clock-virtual]');
    expect(virtual.attributes('aria-disabled')).toBe('true');
    expect(virtual.attributes('aria-checked')).toBe('false');
    expect(wrapper.get('[data-testid=run-clock-real]').attributes('aria-checked')).toBe('true');
    await virtual.trigger('click');
    expect(useNotificationsStore().notices.at(-1)?.message).toContain('virtual clock is for TypeScript scenarios');
  });

  it('answers a click on a disabled command with the reason', async () => {
    const wrapper = mount(RunToolbar);
    await wrapper.get('[data-testid=run-run]').trigger('click');
    expect(useNotificationsStore().notices.at(-1)?.message).toBe('Open a scenario first.');
  });
});
