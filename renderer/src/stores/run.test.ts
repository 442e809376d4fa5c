import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost, installFakeRuns, settle, type FakeRuns } from '../testing/fake-api';
import { useEditorStore } from './editor';
import { MAX_CLOCK_CHOICES, useRunStore, type RunCommand } from './run';
import { useScenariosStore } from './scenarios';

const MINE = { location: 'workspace', path: 'mine.ts' } as const;

/** Lets the store's frame run (happy-dom has animation frames on a timer). */
const frame = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('the run store', () => {
  let runs: FakeRuns;
  beforeEach(async () => {
    localStorage.clear();
    setActivePinia(createPinia());
    const host = installFakeHost({ 'workspace/mine.ts': "console.log('saved');\n" });
    runs = installFakeRuns(host);
    await useScenariosStore().refresh();
    await useEditorStore().open(MINE);
  });

  it('starts the active scenario with its unsaved text and the chosen clock', async () => {
    const editor = useEditorStore();
    editor.edit('workspace/mine.ts', "console.log('unsaved');\n");
    const run = useRunStore();
    run.setClock('virtual');
    expect(await run.execute('run')).toEqual({ ok: true });
    expect(runs.calls.find((c) => c.method === 'start')?.args[0]).toMatchObject({ scenario: MINE, source: "console.log('unsaved');\n", clock: 'virtual', paused: false });
    expect(run.session?.runId).toBe('run-1');
  });

  it('shows what a run streams, applied at the next frame', async () => {
    const run = useRunStore();
    await run.run();
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'running' });
    runs.emit('onDidOutput', { runId: 'run-1', chunks: [{ stream: 'stdout', text: 'Hello World\n' }] });
    runs.emit('onDidSnapshot', { runId: 'run-1', snapshot: { time: 2, iteration: 4, clock: 'virtual', running: true, closed: false, ready: [], readyCount: 0, scheduled: [], scheduledCount: 0, tasks: [], taskCount: 0 } });
    expect(run.loopTime).toBeNull();
    await frame();
    expect(run.state).toBe('running');
    expect(run.loopTime).toBe(2);
    expect(run.iteration).toBe(4);
    expect(run.session?.output.text()).toBe('Hello World');
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'finished' });
    await frame();
    expect(run.state).toBe('finished');
    expect(run.enabled.run).toBe(true);
  });

  it('keeps events that arrive before the start call answers', async () => {
    const run = useRunStore();
    const started = run.run();
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'running' });
    runs.emit('onDidOutput', { runId: 'run-1', chunks: [{ stream: 'stdout', text: 'early\n' }] });
    await started;
    await frame();
    expect(run.session?.output.text()).toBe('early');
  });

  it('puts a compile error on the scenario as a marker and says nothing ran', async () => {
    runs.nextStart = { ok: false, message: 'syntax error', diagnostics: [{ message: 'Unexpected "="', location: { file: '/home/me/scenarios/mine.ts', line: 3, column: 7 } }] };
    const run = useRunStore();
    const result = await run.run();
    expect(result).toEqual({ ok: false, message: 'mine.ts does not compile: Unexpected "=" (line 3, column 7). Nothing ran.' });
    expect(run.state).toBe('rejected');
    expect(useEditorStore().markers['workspace/mine.ts']).toEqual([{ line: 3, column: 7, message: 'Unexpected "="', severity: 'error' }]);
  });

  it('marks the line of a runtime error in the scenario', async () => {
    const run = useRunStore();
    await run.run();
    runs.emit('onDidError', { runId: 'run-1', fatal: true, name: 'TypeError', message: 'boom', stack: 'TypeError: boom', location: { file: '/home/me/scenarios/mine.ts', line: 1, column: 9 } });
    await settle();
    expect(useEditorStore().markers['workspace/mine.ts']).toEqual([{ line: 1, column: 9, message: 'TypeError: boom', severity: 'error' }]);
  });

  it('steps from a paused start: with no run, a step starts the scenario paused', async () => {
    const run = useRunStore();
    expect(await run.execute('stepCallback')).toEqual({ ok: true });
    expect(runs.calls.find((c) => c.method === 'start')?.args[0]).toMatchObject({ paused: true });
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'paused', reason: 'pause', next: { id: 2, callback: 'Task.step' } });
    await frame();
    const commands: RunCommand[] = ['stepCallback', 'stepIteration', 'runToNextTimer', 'resume'];
    for (const command of commands) expect(await run.execute(command)).toEqual({ ok: true });
    expect(runs.calls.filter((c) => c.method === 'step').map((c) => c.args[1])).toEqual(['callback', 'iteration', 'timer', 'resume']);
    expect(run.enabled.run).toBe(false);
    expect(await run.execute('run')).toEqual({ ok: false, message: 'mine.ts is running: stop it first (Shift+F5).' });
    expect(await run.execute('stop')).toEqual({ ok: true });
    expect(runs.calls.at(-1)).toEqual({ method: 'stop', args: ['run-1'] });
  });

  it('keeps runs apart and follows the latest', async () => {
    const run = useRunStore();
    await run.run();
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'finished' });
    await frame();
    await run.run();
    runs.emit('onDidOutput', { runId: 'run-1', chunks: [{ stream: 'stdout', text: 'late\n' }] });
    runs.emit('onDidOutput', { runId: 'run-2', chunks: [{ stream: 'stdout', text: 'second\n' }] });
    await frame();
    expect(run.sessions).toHaveLength(2);
    expect(run.session?.runId).toBe('run-2');
    expect(run.session?.output.text()).toBe('second');
    run.follow(run.sessions[0].localId);
    expect(run.session?.output.text()).toBe('late');
  });

  it('remembers the clock picked for each scenario', async () => {
    const run = useRunStore();
    expect(run.clock).toBe('real');
    expect(run.clockPicked).toBe(false);
    run.setClock('virtual');
    expect(run.clockPicked).toBe(true);
    setActivePinia(createPinia());
    await useScenariosStore().refresh();
    expect(useRunStore().clock).toBe('real');
    await useEditorStore().open(MINE);
    expect(useRunStore().clock).toBe('virtual');
  });

  it("runs a scenario on its meta's clock unless the user picked one for it, and picks for one scenario leave the others alone", async () => {
    const host = installFakeHost({ 'workspace/mine.ts': "console.log('saved');\n", 'workspace/timed.ts': "export const meta = { clock: 'virtual' };\n" });
    runs = installFakeRuns(host);
    setActivePinia(createPinia());
    await useScenariosStore().refresh();
    const editor = useEditorStore();
    const run = useRunStore();
    await editor.open({ location: 'workspace', path: 'timed.ts' });
    expect(run.clock).toBe('virtual');
    await run.run();
    expect(runs.calls.find((c) => c.method === 'start')?.args[0]).toMatchObject({ clock: 'virtual' });
    await editor.open(MINE);
    expect(run.clock).toBe('real');
    run.setClock('virtual');
    await editor.open({ location: 'workspace', path: 'timed.ts' });
    run.setClock('real');
    expect(run.clock).toBe('real');
    await editor.open(MINE);
    expect(run.clock).toBe('virtual');
  });

  it('remembers at most MAX_CLOCK_CHOICES picks, dropping the oldest, and ignores a broken setting', async () => {
    localStorage.setItem('loopwright.run.clocks', '{"workspace/a.ts":"virtual","workspace/b.ts":"sundial"}');
    setActivePinia(createPinia());
    await useScenariosStore().refresh();
    await useEditorStore().open(MINE);
    const run = useRunStore();
    run.setClock('virtual');
    const stored = JSON.parse(localStorage.getItem('loopwright.run.clocks')!) as Record<string, string>;
    expect(stored).toEqual({ 'workspace/a.ts': 'virtual', 'workspace/mine.ts': 'virtual' });
    const many = Object.fromEntries(Array.from({ length: MAX_CLOCK_CHOICES }, (_, i) => [`workspace/s${i}.ts`, 'real']));
    localStorage.setItem('loopwright.run.clocks', JSON.stringify(many));
    setActivePinia(createPinia());
    await useScenariosStore().refresh();
    await useEditorStore().open(MINE);
    useRunStore().setClock('virtual');
    const kept = Object.keys(JSON.parse(localStorage.getItem('loopwright.run.clocks')!) as Record<string, string>);
    expect(kept).toHaveLength(MAX_CLOCK_CHOICES);
    expect(kept[0]).toBe('workspace/s1.ts');
    expect(kept.at(-1)).toBe('workspace/mine.ts');
  });

  it('records runs unless the Record toggle is off (remembered), and shows a recording run as such', async () => {
    const run = useRunStore();
    expect(run.record).toBe(true);
    runs.nextStart = { ok: true, runId: 'run-1', clock: 'virtual', recordingId: 'a.lwrec.partial' };
    await run.run();
    expect(runs.calls.find((c) => c.method === 'start')?.args[0]).toMatchObject({ record: true });
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'running' });
    await frame();
    expect(run.recording).toBe(true);
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'finished' });
    await frame();
    expect(run.recording).toBe(false);
    run.setRecord(false);
    setActivePinia(createPinia());
    expect(useRunStore().record).toBe(false);
    await useScenariosStore().refresh();
    await useEditorStore().open(MINE);
    expect(await useRunStore().run()).toEqual({ ok: true });
    expect(runs.calls.filter((c) => c.method === 'start')[1]?.args[0]).toMatchObject({ record: false });
  });

  it('says why a command is off', async () => {
    await settle();
    const run = useRunStore();
    expect(await run.execute('resume')).toEqual({ ok: false, message: 'The run is not paused.' });
    expect(runs.calls).toHaveLength(0);
  });
});
