import type { LoopwrightServices } from '../../../shared/ipc/contract';
import { runEnded, type RunInfo } from '../../../shared/runs/run';
import { combineListeners } from '../recording/run-recorder';
import { recordingHeader } from '../recording/recording-writer';
import type { RecordingsStore } from '../recording/recordings-store';
import { HostConnections } from '../runs/host-connections';
import { PythonUnavailableError } from '../python/interpreter';
import type { RunListener, RunManager, ScenarioRun } from '../runs/run-manager';
import type { StepMode } from '../runs/stepper';
import type { ScenarioStore } from '../scenarios/scenario-store';
import { ScenarioSyntaxError } from '../scenarios/transpile';
import { eventRateLimited } from './window-event-rate';
import { withoutPayloads } from './without-payloads';

/** Publishes an event of the `runs` service (the router validates what must be validated). */
type Publish = (channel: `runs.on${string}`, payload: unknown) => void;

const STEPS: Record<'resume' | 'callback' | 'iteration' | 'timer', Exclude<StepMode, { kind: 'pause' }>> = {
  resume: { kind: 'run' },
  callback: { kind: 'callback', count: 1 },
  iteration: { kind: 'iteration', iteration: null },
  timer: { kind: 'timer' },
};

/** Where runs are recorded, and what the recordings' headers say about the app. */
export interface RunsRecording {
  store: RecordingsStore;
  appVersion: string;
  platform: string;
}

/**
 * The `runs` service: starts scenarios in workers and streams what they do to the renderers. With
 * `recording`, every run whose request says `record` (the default) is also written to the history.
 */
export function createRunsService(store: ScenarioStore, manager: RunManager, publish: Publish, recording?: RunsRecording): LoopwrightServices['runs'] & { dispose(): Promise<void> } {
  const infos = new Map<string, RunInfo>();
  const connections = new HostConnections((event) => publish('runs.onDidConnectionEvent', event));

  const runOf = (runId: string): ScenarioRun => {
    const run = manager.get(runId);
    if (!run) throw new Error(`no run ${runId} is going (it ended, or never existed)`);
    return run;
  };

  return {
    async start(request) {
      const file = await store.read(request.scenario);
      const python = file.file.endsWith('.py');
      // A Python program runs on its own, real clock.
      const clock = python ? 'real' : (request.clock ?? file.meta?.clock ?? 'real');
      const source = request.source ?? file.source;
      // The recorder listens beside the windows, so the run is recorded whether or not one watches.
      const recorded =
        recording && request.record
          ? await recording.store.startRecording(
              recordingHeader({ appVersion: recording.appVersion, platform: recording.platform, scenarioPath: `${request.scenario.location}/${request.scenario.path}`, source, clock, detail: request.detail }),
            )
          : undefined;
      let run: ScenarioRun;
      try {
        const publishing: RunListener = {
          output: (chunks) => publish('runs.onDidOutput', { runId: run.id, chunks }),
          events: (events, dropped) => publish('runs.onDidEmitEvents', { runId: run.id, events, ...(dropped ? { dropped } : {}) }),
          snapshot: (snapshot) => publish('runs.onDidSnapshot', { runId: run.id, snapshot }),
          error: (error, fatal) => publish('runs.onDidError', { runId: run.id, fatal, ...error }),
          state: (state, detail) => {
            const info = infos.get(run.id);
            if (info) info.state = state;
            if (runEnded(state)) {
              infos.delete(run.id);
              connections.closeRun(run.id);
            }
            publish('runs.onDidChangeState', { runId: run.id, state, ...detail });
          },
        };
        // The windows get what they can show (window-event-rate.ts); the recorder gets everything.
        const watched = eventRateLimited(publishing);
        const listener = recorded ? combineListeners(watched, recorded.recorder.listener) : watched;
        // The shim observes a Python program at the level asked for; a worker's events lose their payloads here.
        run = await manager.start(
          { file: file.file, source, clock, startPaused: request.paused, breakpoints: request.breakpoints, python: { detail: request.detail } },
          python || request.detail === 'full' ? listener : withoutPayloads(listener),
        );
      } catch (error) {
        await recorded?.recorder.discard();
        if (error instanceof ScenarioSyntaxError) {
          return { ok: false, message: error.message, diagnostics: error.all.map((d) => ({ message: d.message, ...(d.location ? { location: d.location } : {}) })) };
        }
        if (error instanceof PythonUnavailableError) return { ok: false, message: error.message, diagnostics: [] };
        throw error;
      }
      infos.set(run.id, { runId: run.id, scenario: request.scenario, clock, state: run.state, startedAt: Date.now() });
      publish('runs.onDidChangeState', { runId: run.id, state: run.state });
      return { ok: true, runId: run.id, clock, ...(recorded ? { recordingId: recorded.id } : {}) };
    },
    async stop(runId) {
      await runOf(runId).stop();
      return null;
    },
    pause(runId) {
      runOf(runId).pause();
      return null;
    },
    step(runId, kind) {
      runOf(runId).command(STEPS[kind]);
      return null;
    },
    setBreakpoints(runId, names) {
      runOf(runId).setBreakpoints(names);
      return null;
    },
    write(runId, transportId, base64) {
      runOf(runId).write(transportId, new Uint8Array(Buffer.from(base64, 'base64')));
      return null;
    },
    list: () => [...infos.values()],
    async connect(runId, port) {
      runOf(runId);
      return { connectionId: await connections.connect(runId, port) };
    },
    sendToConnection(connectionId, base64) {
      connections.write(connectionId, new Uint8Array(Buffer.from(base64, 'base64')));
      return null;
    },
    closeConnection(connectionId) {
      connections.close(connectionId);
      return null;
    },
    dispose: async () => {
      connections.dispose();
      await manager.stopAll();
      await recording?.store.finishAll();
    },
  };
}
