import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useNotificationsStore } from '../stores/notifications';
import { RUNS_UNAVAILABLE } from '../stores/run';
import RunToolbar from './RunToolbar.vue';

describe('RunToolbar', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('shows every run command, disabled, with its shortcut and the reason in the tooltip', () => {
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
      expect(button.attributes('title')).toBe(`${title}\n${RUNS_UNAVAILABLE}`);
    }
    expect(wrapper.get('[data-testid=run-clock-real]').attributes('aria-checked')).toBe('true');
    expect(wrapper.get('[data-testid=run-state]').text()).toContain('No run');
  });

  it('answers a click on a disabled command with the reason', async () => {
    const wrapper = mount(RunToolbar);
    await wrapper.get('[data-testid=run-run]').trigger('click');
    expect(useNotificationsStore().notices.at(-1)?.message).toBe(RUNS_UNAVAILABLE);
  });
});
