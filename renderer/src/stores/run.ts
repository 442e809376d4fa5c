import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ClockKind } from '../../../shared/scenarios/scenario';
import { oneOf, readSetting, writeSetting } from '../lib/settings';

/** Where a run is, as the toolbar and the status bar show it. */
export type RunState = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'failed' | 'stopped';

/** The run commands of the toolbar and their shortcuts. */
export type RunCommand = 'run' | 'stop' | 'pause' | 'stepCallback' | 'stepIteration' | 'runToNextTimer' | 'resume';

/** What a run command answers: done, or why not, in a sentence for the user. */
export type RunCommandResult = { ok: true } | { ok: false; message: string };

/** Why the run commands are off; shown as their tooltip and when a shortcut is pressed. */
export const RUNS_UNAVAILABLE = 'Runs are not available yet: the scenario runner is not part of this build.';

/**
 * The run of the active scenario: its state, clock, loop time and iteration, and the commands of
 * the run toolbar. The runs service does not exist yet, so every command answers with
 * RUNS_UNAVAILABLE and changes nothing; the pass that adds runs fills in these actions (and
 * `available`) without touching the components.
 */
export const useRunStore = defineStore('run', () => {
  const available = ref(false);
  const state = ref<RunState>('idle');
  const clock = ref<ClockKind>(readSetting('run.clock', oneOf(['real', 'virtual'] as const)) ?? 'real');
  /** `loop.time()` of the run, in seconds; null without a run. */
  const loopTime = ref<number | null>(null);
  /** The loop's iteration count; null without a run. */
  const iteration = ref<number | null>(null);

  const unavailableReason = computed(() => (available.value ? null : RUNS_UNAVAILABLE));

  /** Which commands make sense now (all off while runs are unavailable). */
  const enabled = computed<Record<RunCommand, boolean>>(() => {
    const on = available.value;
    const live = state.value === 'running' || state.value === 'paused';
    return {
      run: on && !live,
      stop: on && live,
      pause: on && state.value === 'running',
      stepCallback: on && (state.value === 'paused' || !live),
      stepIteration: on && (state.value === 'paused' || !live),
      runToNextTimer: on && (state.value === 'paused' || !live),
      resume: on && state.value === 'paused',
    };
  });

  function unavailable(): Promise<RunCommandResult> {
    return Promise.resolve({ ok: false, message: RUNS_UNAVAILABLE });
  }

  /** Starts the active scenario. */
  const run = (): Promise<RunCommandResult> => unavailable();
  /** Stops the run at once (a runaway loop included). */
  const stop = (): Promise<RunCommandResult> => unavailable();
  /** Pauses before the next callback. */
  const pause = (): Promise<RunCommandResult> => unavailable();
  /** Runs one callback, then pauses. */
  const stepCallback = (): Promise<RunCommandResult> => unavailable();
  /** Runs to the end of the loop iteration, then pauses. */
  const stepIteration = (): Promise<RunCommandResult> => unavailable();
  /** Runs until a timer's callback is about to run, then pauses before it. */
  const runToNextTimer = (): Promise<RunCommandResult> => unavailable();
  /** Continues a paused run. */
  const resume = (): Promise<RunCommandResult> => unavailable();

  const commands: Record<RunCommand, () => Promise<RunCommandResult>> = { run, stop, pause, stepCallback, stepIteration, runToNextTimer, resume };

  /** Runs a command by name (the toolbar and the keyboard shortcuts go through here). */
  function execute(command: RunCommand): Promise<RunCommandResult> {
    return commands[command]();
  }

  /** Chooses the clock of the next run (remembered). */
  function setClock(kind: ClockKind): void {
    clock.value = kind;
    writeSetting('run.clock', kind);
  }

  return { available, state, clock, loopTime, iteration, unavailableReason, enabled, run, stop, pause, stepCallback, stepIteration, runToNextTimer, resume, execute, setClock };
});
