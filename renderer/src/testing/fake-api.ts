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
  return { ref, title, description, clock: /clock:\s*'virtual'/.test(source) ? 'virtual' : 'real', language: /\.[mc]?js$/.test(ref.path) ? 'javascript' : 'typescript', readOnly: ref.location === 'library' };
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
