import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RunDetail, RunStartResult, SourceLocationInfo } from '../../../shared/runs/run';
import type { ClockKind, ScenarioRef } from '../../../shared/scenarios/scenario';
import { useApi } from '../api/client';
import { describeError } from '../api/errors';
import { createFrameScheduler } from '../lib/frame-scheduler';
import { detailFor, RUN_DETAILS } from '../lib/run-detail';
import { RunSession, isLive, type SessionState } from '../lib/run-session';
import { fileName, keyOf, sameRef } from '../lib/scenario-ref';
import { oneOf, readFlag, readSetting, writeSetting } from '../lib/settings';
import { useEditorStore, type SourceMarker } from './editor';
import { useLayoutStore } from './layout';
import { useNotificationsStore } from './notifications';
import { usePythonNoticeStore } from './python-notice';
import { useScenariosStore } from './scenarios';

/** Where the followed run is, as the toolbar and the status bar show it. */
export type RunState = 'idle' | SessionState;

/** The run commands of the toolbar and their shortcuts. */
export type RunCommand = 'run' | 'stop' | 'pause' | 'stepCallback' | 'stepIteration' | 'runToNextTimer' | 'resume';

/** What a run command answers: done, or why not, in a sentence for the user. */
export type RunCommandResult = { ok: true } | { ok: false; message: string };

/** Runs kept for the run picker and their panels; older ended ones are forgotten. */
const MAX_SESSIONS = 8;
/** Main-thread time per frame for applying incoming data; the rest is the views'. */
const FRAME_BUDGET_MS = 8;
/** How long events of a run we do not know yet are kept (its start may not have answered). */
const ORPHAN_MS = 10_000;

/** Whether a host path is the scenario's file (locations carry absolute paths). */
export function isScenarioFile(file: string, ref: ScenarioRef): boolean {
  const normal = file.replace(/\\/g, '/');
  return normal === ref.path || normal.endsWith(`/${ref.path}`);
}

/** Editor markers for the locations in a scenario's own file. */
function markersFor(ref: ScenarioRef, problems: readonly { message: string; location?: SourceLocationInfo; severity?: SourceMarker['severity'] }[]): SourceMarker[] {
  return problems
    .filter((p) => p.location && isScenarioFile(p.location.file, ref))
    .map((p) => ({ line: p.location!.line, column: p.location!.column, message: p.message, severity: p.severity ?? 'error' }));
}

/** The sentence for a scenario that does not compile. */
function compileFailure(name: string, result: Extract<RunStartResult, { ok: false }>): string {
  const first = result.diagnostics[0];
  const where = first?.location ? ` (line ${first.location.line}, column ${first.location.column})` : '';
  const more = result.diagnostics.length > 1 ? ` and ${result.diagnostics.length - 1} more` : '';
  return `${name} does not compile: ${first?.message ?? result.message}${where}${more}. Nothing ran.`;
}

const CLOCKS = ['real', 'virtual'] as const;
/** Scenarios whose clock pick is remembered at most (the oldest picks go first). */
export const MAX_CLOCK_CHOICES = 200;

/** The remembered clock picks: scenario key to clock (anything else in the setting is dropped). */
function readClockChoices(): Record<string, ClockKind> {
  const accept = oneOf(CLOCKS);
  return (
    readSetting('run.clocks', (raw) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
      const choices: Record<string, ClockKind> = {};
      for (const [key, value] of Object.entries(raw)) {
        const kind = accept(value);
        if (kind) choices[key] = kind;
      }
      return choices;
    }) ?? {}
  );
}

/**
 * Runs: starting the active scenario (with the editor's unsaved text and the chosen clock), the
 * debugger's commands, and the data every run streams, kept per run in a RunSession. The UI follows
 * one run, the latest started, or the one picked in the toolbar. Incoming data is queued per run and
 * applied once per animation frame within a time budget.
 */
export const useRunStore = defineStore('run', () => {
  const editor = useEditorStore();
  const scenarios = useScenariosStore();
  /** The clock picked for each scenario (by key), remembered; without a pick, a scenario runs on its meta's clock. */
  const clockChoices = ref<Record<string, ClockKind>>(readClockChoices());
  /** The clock picked while no scenario is open (remembered). */
  const defaultClock = ref<ClockKind>(readSetting('run.clock', oneOf(CLOCKS)) ?? 'real');
  /**
   * The clock of the active scenario's next run: the user's pick for that scenario, else the default
   * its `meta` declares (a learner opening a virtual-clock example gets the virtual clock).
   */
  const clock = computed<ClockKind>(() => {
    const doc = editor.active;
    if (!doc) return defaultClock.value;
    return clockChoices.value[keyOf(doc.ref)] ?? scenarios.find(doc.ref)?.clock ?? defaultClock.value;
  });
  /** How much of the next run is observed and recorded (the toolbar's Detail selector). */
  const detail = ref<RunDetail>(readSetting('run.detail', oneOf(RUN_DETAILS.map((d) => d.value))) ?? 'full');
  /** Whether runs are recorded into the session history (the toolbar's Record toggle). */
  const record = ref(readFlag('run.record') ?? true);
  const sessions = shallowRef<readonly RunSession[]>([]);
  const followedId = ref<number | null>(null);
  /** A recording's state shown in the panels instead of the followed run (replay mode; set by the replay store). */
  const replayed = shallowRef<RunSession | null>(null);
  /** The recording each run writes, by the session's local id. */
  const recordingIds = ref<Record<number, string>>({});

  const followed = computed(() => sessions.value.find((s) => s.localId === followedId.value) ?? null);
  /** What the panels show: the replayed recording in replay mode, else the followed run. */
  const session = computed(() => replayed.value ?? followed.value);
  const state = computed<RunState>(() => followed.value?.status.value.state ?? 'idle');
  const snapshot = computed(() => session.value?.snapshot.value ?? null);
  /** `loop.time()` of the run shown (or the replayed line), in seconds; null without one. */
  const loopTime = computed(() => snapshot.value?.time ?? null);
  /** The iteration count of the run shown (or the replayed line); null without one. */
  const iteration = computed(() => snapshot.value?.iteration ?? null);
  /** The clock of the run shown (or the recording), or of the next run when there is none. */
  const runClock = computed<ClockKind>(() => session.value?.clock ?? clock.value);
  /** Whether the followed run is going and being recorded (the toolbar's recording dot). */
  const recording = computed(() => followed.value !== null && isLive(followed.value.state) && recordingIds.value[followed.value.localId] !== undefined);

  const byRunId = new Map<string, RunSession>();
  const orphans = new Map<string, { at: number; apply: ((s: RunSession) => void)[] }>();
  let subscribed = false;

  const frames = createFrameScheduler(() => {
    const deadline = performance.now() + FRAME_BUDGET_MS;
    const shown = followed.value;
    let more = false;
    // The run on screen first; the others catch up in the time left.
    if (shown?.hasPending) more = shown.flush(deadline);
    for (const s of sessions.value) if (s !== shown && s.hasPending) more = s.flush(deadline) || more;
    if (more) frames.request();
  });

  function route(runId: string, apply: (s: RunSession) => void): void {
    const target = byRunId.get(runId);
    if (target) {
      apply(target);
      frames.request();
      return;
    }
    const now = Date.now();
    for (const [id, o] of orphans) if (now - o.at > ORPHAN_MS) orphans.delete(id);
    const entry = orphans.get(runId) ?? { at: now, apply: [] };
    orphans.set(runId, entry);
    if (entry.apply.length < 2000) entry.apply.push(apply);
  }

  function adopt(runId: string, target: RunSession): void {
    byRunId.set(runId, target);
    const early = orphans.get(runId);
    orphans.delete(runId);
    for (const apply of early?.apply ?? []) apply(target);
    frames.request();
  }

  /** Listens to every run's streams (once). */
  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    const runs = useApi().runs;
    runs.onDidChangeState((e) => route(e.runId, (s) => s.enqueueState(e)));
    runs.onDidOutput((e) => route(e.runId, (s) => s.enqueueOutput(e)));
    runs.onDidEmitEvents((e) => route(e.runId, (s) => s.enqueueEvents(e.events, e.dropped)));
    runs.onDidSnapshot((e) => route(e.runId, (s) => s.enqueueSnapshot(e.snapshot)));
    runs.onDidConnectionEvent((e) => route(e.runId, (s) => s.enqueueConnection(e)));
    runs.onDidError((e) =>
      route(e.runId, (s) => {
        s.enqueueError(e);
        if (e.location && isScenarioFile(e.location.file, s.scenario)) {
          const existing = editor.markers[keyOf(s.scenario)] ?? [];
          editor.setMarkers(s.scenario, [...existing, ...markersFor(s.scenario, [{ message: `${e.name}: ${e.message}`, location: e.location, severity: e.fatal ? 'error' : 'warning' }])]);
        }
        if (e.fatal && s === followed.value && !replayed.value) useLayoutStore().showPanelTab('output');
      }),
    );
  }

  /**
   * Subscribes to the runs' streams and picks up runs that are going (after a reload, or started
   * from another window): they join the run picker, so they can be followed and stopped, but the
   * panels stay on this window's own runs until one is picked.
   */
  async function connect(): Promise<void> {
    subscribe();
    try {
      const going = await useApi().runs.list();
      for (const info of going) {
        if (byRunId.has(info.runId)) continue;
        const s = new RunSession(info.scenario, fileName(info.scenario.path), info.clock, { runId: info.runId, state: info.state, startedAt: info.startedAt });
        add(s, false);
        adopt(info.runId, s);
      }
      if (going.length > 0) {
        const names = going.map((i) => fileName(i.scenario.path)).join(', ');
        useNotificationsStore().notify(`${going.length === 1 ? 'A run is' : `${going.length} runs are`} still going (${names}): pick it in the toolbar to follow or stop it.`);
      }
    } catch {
      // The status bar already says when the host cannot be reached.
    }
  }

  function add(s: RunSession, followIt = true): void {
    const kept = [...sessions.value, s];
    // Forget the oldest ended runs beyond the limit; going ones are always kept.
    while (kept.length > MAX_SESSIONS) {
      const index = kept.findIndex((k) => !isLive(k.state) && k !== s && k.localId !== followedId.value);
      if (index < 0) break;
      const [gone] = kept.splice(index, 1);
      if (gone.runId) byRunId.delete(gone.runId);
    }
    sessions.value = kept;
    if (followIt) followedId.value = s.localId;
  }

  /** Shows another run in the panels (the toolbar's run picker). */
  function follow(localId: number): void {
    if (sessions.value.some((s) => s.localId === localId)) followedId.value = localId;
  }

  const live = computed(() => state.value !== 'idle' && isLive(state.value));

  /** Which commands make sense now. */
  const enabled = computed<Record<RunCommand, boolean>>(() => {
    const doc = editor.active;
    const hasDoc = doc !== null && doc.state === 'ready';
    const same = doc !== null && followed.value !== null && sameRef(doc.ref, followed.value.scenario);
    const s = state.value;
    if (replayed.value) return { run: false, stop: false, pause: false, stepCallback: false, stepIteration: false, runToNextTimer: false, resume: false };
    const canStart = hasDoc && !(live.value && same);
    const paused = s === 'paused';
    return {
      run: canStart,
      stop: live.value && s !== 'starting',
      pause: s === 'running',
      stepCallback: paused || (!live.value && hasDoc),
      stepIteration: paused || (!live.value && hasDoc),
      runToNextTimer: paused || (!live.value && hasDoc),
      resume: paused,
    };
  });

  /** Why a command is off, for its tooltip and when its shortcut is pressed. */
  function disabledReason(command: RunCommand): string {
    if (replayed.value) return 'Replay mode shows a recording: close it (Esc) to run.';
    if (!editor.active) return 'Open a scenario first.';
    if (editor.active.state !== 'ready') return `${editor.active.name} is still loading.`;
    switch (command) {
      case 'run':
        return `${editor.active.name} is running: stop it first (Shift+F5).`;
      case 'stop':
        return state.value === 'starting' ? 'The run is starting.' : 'No run is going.';
      case 'pause':
        return state.value === 'paused' ? 'The run is already paused.' : 'No run is going.';
      case 'resume':
        return 'The run is not paused.';
      default:
        return 'Pause the run first (F6).';
    }
  }

  /** Starts the active scenario, paused before its first callback when `paused`. */
  async function start(paused: boolean): Promise<RunCommandResult> {
    const doc = editor.active;
    if (!doc) return { ok: false, message: 'Open a scenario to run it.' };
    if (doc.state !== 'ready') return { ok: false, message: `${doc.name} is still loading.` };
    // The first Python run waits for the user to acknowledge what such a program may do; Cancel runs nothing.
    if (doc.language === 'python' && !(await usePythonNoticeStore().acknowledge())) return { ok: true };
    subscribe();
    editor.clearMarkers(doc.ref);
    const chosen = clock.value;
    const s = new RunSession(doc.ref, doc.name, chosen);
    add(s);
    const layout = useLayoutStore();
    // A run's first words are in Output; the timeline stays if that is what the user watches.
    if (layout.panelTab === 'terminal') layout.showPanelTab('output');
    let result: RunStartResult;
    try {
      result = await useApi().runs.start({ scenario: doc.ref, source: doc.text, clock: chosen, paused, breakpoints: [], detail: detailFor(detail.value, doc.language), record: record.value });
    } catch (error) {
      const message = describeError(error);
      s.failedToStart(message);
      return { ok: false, message: `The run could not start: ${message}` };
    }
    s.started(result);
    if (!result.ok) {
      editor.setMarkers(doc.ref, markersFor(doc.ref, result.diagnostics));
      layout.showPanelTab('output');
      return { ok: false, message: compileFailure(doc.name, result) };
    }
    if (result.recordingId) recordingIds.value = { ...recordingIds.value, [s.localId]: result.recordingId };
    adopt(result.runId, s);
    return { ok: true };
  }

  async function call(action: (runId: string) => Promise<unknown>): Promise<RunCommandResult> {
    const runId = followed.value?.runId;
    if (!runId) return { ok: false, message: 'No run is going.' };
    try {
      await action(runId);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: describeError(error) };
    }
  }

  /** Runs a step, or starts the scenario paused when no run is going (as a debugger's "step into"). */
  function step(kind: 'callback' | 'iteration' | 'timer'): Promise<RunCommandResult> {
    if (!live.value) return start(true);
    return call((runId) => useApi().runs.step(runId, kind));
  }

  /** Starts the active scenario. */
  const run = (): Promise<RunCommandResult> => start(false);
  /** Stops the run at once (a runaway loop included). */
  const stop = (): Promise<RunCommandResult> => call((runId) => useApi().runs.stop(runId));
  /** Pauses before the next callback. */
  const pause = (): Promise<RunCommandResult> => call((runId) => useApi().runs.pause(runId));
  /** Runs one callback, then pauses. */
  const stepCallback = (): Promise<RunCommandResult> => step('callback');
  /** Runs to the end of the loop iteration, then pauses. */
  const stepIteration = (): Promise<RunCommandResult> => step('iteration');
  /** Runs until a timer's callback is about to run, then pauses before it. */
  const runToNextTimer = (): Promise<RunCommandResult> => step('timer');
  /** Continues a paused run. */
  const resume = (): Promise<RunCommandResult> => call((runId) => useApi().runs.step(runId, 'resume'));

  const commands: Record<RunCommand, () => Promise<RunCommandResult>> = { run, stop, pause, stepCallback, stepIteration, runToNextTimer, resume };

  /** Runs a command by name (the toolbar and the keyboard shortcuts go through here). */
  function execute(command: RunCommand): Promise<RunCommandResult> {
    if (!enabled.value[command]) return Promise.resolve({ ok: false, message: disabledReason(command) });
    return commands[command]();
  }

  /** Turns recording of the next runs on or off (remembered). */
  function setRecord(on: boolean): void {
    record.value = on;
    writeSetting('run.record', on);
  }

  /** Shows a replayed recording in the panels, or the followed run again (null). */
  function showReplay(replay: RunSession | null): void {
    replayed.value = replay;
  }

  /** Chooses the detail level of the next runs (remembered). */
  function setDetail(level: RunDetail): void {
    detail.value = level;
    writeSetting('run.detail', level);
  }

  /** Whether the active scenario's clock is the user's pick rather than its meta's default. */
  const clockPicked = computed(() => editor.active !== null && clockChoices.value[keyOf(editor.active.ref)] !== undefined);

  /** Chooses the clock of the active scenario's runs (remembered for that scenario), or the default while none is open. */
  function setClock(kind: ClockKind): void {
    const doc = editor.active;
    if (!doc) {
      defaultClock.value = kind;
      writeSetting('run.clock', kind);
      return;
    }
    const key = keyOf(doc.ref);
    // The latest pick last; the oldest go past MAX_CLOCK_CHOICES, so the setting stays small.
    const { [key]: _previous, ...others } = clockChoices.value;
    const kept = Object.entries(others).slice(-(MAX_CLOCK_CHOICES - 1));
    clockChoices.value = { ...Object.fromEntries(kept), [key]: kind };
    writeSetting('run.clocks', clockChoices.value);
  }

  return {
    clock,
    clockPicked,
    detail,
    record,
    recording,
    sessions,
    followedId,
    followed,
    replayed,
    session,
    state,
    snapshot,
    loopTime,
    iteration,
    runClock,
    enabled,
    disabledReason,
    connect,
    follow,
    run,
    stop,
    pause,
    stepCallback,
    stepIteration,
    runToNextTimer,
    resume,
    execute,
    setClock,
    setDetail,
    setRecord,
    showReplay,
  };
});
