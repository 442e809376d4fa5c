import type { HostInfo, LoopwrightApi, ScenarioContent } from '../../../shared/ipc/contract';
import { IpcError } from '../../../shared/ipc/wire';
import type { ScenarioEntry, ScenarioRef } from '../../../shared/scenarios/scenario';

/** The host as unit tests see it: scenarios in memory, and switches to make calls fail. */
export interface FakeHost {
  api: LoopwrightApi;
  /** Files by `location/path`. */
  files: Map<string, string>;
  /** When set, the next calls of these methods reject with this message (as the router words it). */
  failures: Partial<Record<keyof LoopwrightApi['scenarios'], string>>;
  /** Every call, as `method path…`, for assertions. */
  calls: string[];
}

const INFO: HostInfo = { appName: 'Loopwright', appVersion: '0.1.0', mode: 'browser', node: '20.20.2', electron: null, chrome: null, platform: 'linux', arch: 'x64' };

const key = (ref: ScenarioRef) => `${ref.location}/${ref.path}`;

function entryOf(ref: ScenarioRef, source: string): ScenarioEntry {
  const title = /title:\s*'([^']*)'/.exec(source)?.[1] ?? ref.path.replace(/\.[mc]?[jt]s$/, '');
  const description = /description:\s*'([^']*)'/.exec(source)?.[1] ?? '';
  return { ref, title, description, clock: /clock:\s*'virtual'/.test(source) ? 'virtual' : 'real', language: ref.path.endsWith('.py') ? 'python' : /\.[mc]?js$/.test(ref.path) ? 'javascript' : 'typescript', readOnly: ref.location === 'library' };
}

/** Installs a fake host as `window.loopwright` (as Electron's preload would) and returns it. */
export function installFakeHost(initial: Record<string, string> = {}): FakeHost {
  const files = new Map(Object.entries(initial));
  const failures: FakeHost['failures'] = {};
  const calls: string[] = [];
  const check = (method: keyof LoopwrightApi['scenarios']) => {
    const message = failures[method];
    if (message !== undefined) {
      delete failures[method];
      throw new IpcError('handler-failed', `"scenarios.${method}" failed: ${message}`);
    }
  };
  // Only the services the explorer and editor use; the rest of the contract is not needed here.
  const scenarios: LoopwrightApi['scenarios'] = {
    list: async () => {
      calls.push('list');
      check('list');
      return [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, source]) => {
        const [location, ...rest] = k.split('/');
        return entryOf({ location: location as ScenarioRef['location'], path: rest.join('/') }, source);
      });
    },
    folders: async () => ({ library: '/app/scenarios/examples', workspace: '/home/me/Loopwright/scenarios' }),
    read: async (ref): Promise<ScenarioContent> => {
      calls.push(`read ${key(ref)}`);
      check('read');
      const source = files.get(key(ref));
      if (source === undefined) throw new IpcError('handler-failed', `"scenarios.read" failed: no scenario at ${key(ref)}`);
      return { entry: entryOf(ref, source), source };
    },
    write: async (ref, source) => {
      calls.push(`write ${key(ref)}`);
      check('write');
      if (ref.location === 'library') throw new IpcError('handler-failed', '"scenarios.write" failed: the library is read-only');
      files.set(key(ref), source);
      return entryOf(ref, source);
    },
    create: async (ref, source) => {
      calls.push(`create ${key(ref)}`);
      check('create');
      if (files.has(key(ref))) throw new IpcError('handler-failed', `"scenarios.create" failed: ${ref.path} already exists`);
      const text = source ?? "import { getEventLoop } from 'loopwright';\n";
      files.set(key(ref), text);
      return entryOf(ref, text);
    },
    rename: async (ref, newPath) => {
      calls.push(`rename ${key(ref)} ${newPath}`);
      check('rename');
      const to = { location: ref.location, path: newPath };
      if (files.has(key(to))) throw new IpcError('handler-failed', `"scenarios.rename" failed: ${newPath} already exists`);
      const source = files.get(key(ref))!;
      files.delete(key(ref));
      files.set(key(to), source);
      return entryOf(to, source);
    },
    delete: async (ref) => {
      calls.push(`delete ${key(ref)}`);
      check('delete');
      files.delete(key(ref));
      return null;
    },
  };
  const host: LoopwrightApi['host'] = { info: async () => INFO, onDidLog: () => ({ dispose() {} }) };
  const api = { host, scenarios } as unknown as LoopwrightApi;
  window.loopwright = api;
  return { api, files, failures, calls };
}

/** Waits until pending promises (and the microtasks they queue) have run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

type RunsApi = LoopwrightApi['runs'];
type RunEventName = { [K in keyof RunsApi]: K extends `on${string}` ? K : never }[keyof RunsApi];
type RunEventPayload<K extends RunEventName> = RunsApi[K] extends (listener: (payload: infer P) => void) => unknown ? P : never;
type Listener = (payload: never) => void;

/** The runs service as unit tests see it: calls are recorded, answers are set, events are pushed. */
export interface FakeRuns {
  calls: { method: string; args: unknown[] }[];
  /** What the next `start` answers (default: a run with id `run-1`). */
  nextStart: Awaited<ReturnType<RunsApi['start']>> | null;
  /** Pushes an event to the subscribers of a `runs.onX` channel. */
  emit<K extends RunEventName>(channel: K, payload: RunEventPayload<K>): void;
}

/** Adds a fake `runs` service to an installed fake host. */
export function installFakeRuns(host: FakeHost): FakeRuns {
  const listeners = new Map<string, Set<Listener>>();
  const fake: FakeRuns = {
    calls: [],
    nextStart: null,
    emit(channel, payload) {
      for (const l of listeners.get(channel) ?? []) (l as (p: unknown) => void)(payload);
    },
  };
  let runs = 0;
  const record =
    (method: string, answer: (...args: unknown[]) => unknown = () => null) =>
    async (...args: unknown[]) => {
      fake.calls.push({ method, args });
      return answer(...args);
    };
  const subscribe = (channel: string) => (listener: Listener) => {
    const set = listeners.get(channel) ?? new Set();
    listeners.set(channel, set);
    set.add(listener);
    return { dispose: () => set.delete(listener) };
  };
  const api: Record<string, unknown> = {
    start: record('start', () => {
      const answer = fake.nextStart ?? { ok: true, runId: `run-${++runs}`, clock: 'virtual' };
      fake.nextStart = null;
      return answer;
    }),
    stop: record('stop'),
    pause: record('pause'),
    step: record('step'),
    setBreakpoints: record('setBreakpoints'),
    write: record('write'),
    list: record('list', () => []),
    connect: record('connect', () => ({ connectionId: 1 })),
    sendToConnection: record('sendToConnection'),
    closeConnection: record('closeConnection'),
  };
  for (const channel of ['onDidChangeState', 'onDidOutput', 'onDidError', 'onDidEmitEvents', 'onDidSnapshot', 'onDidConnectionEvent']) api[channel] = subscribe(channel);
  (host.api as unknown as { runs: RunsApi }).runs = api as unknown as RunsApi;
  return fake;
}
