import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { RUNS_UNAVAILABLE, useRunStore, type RunCommand } from './run';

describe('the run store (before runs exist)', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('answers every command with why runs are not available, and changes nothing', async () => {
    const run = useRunStore();
    const commands: RunCommand[] = ['run', 'stop', 'pause', 'stepCallback', 'stepIteration', 'runToNextTimer', 'resume'];
    for (const command of commands) {
      expect(await run.execute(command)).toEqual({ ok: false, message: RUNS_UNAVAILABLE });
      expect(run.enabled[command]).toBe(false);
    }
    expect(await run.run()).toEqual({ ok: false, message: RUNS_UNAVAILABLE });
    expect(run.state).toBe('idle');
    expect(run.loopTime).toBeNull();
    expect(run.iteration).toBeNull();
    expect(run.unavailableReason).toBe(RUNS_UNAVAILABLE);
  });

  it('remembers the clock choice', () => {
    useRunStore().setClock('virtual');
    setActivePinia(createPinia());
    expect(useRunStore().clock).toBe('virtual');
  });
});
