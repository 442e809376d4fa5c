import type { LoopwrightApi } from '../../../shared/ipc/contract';
import type { RecordingSummary, RecordingsChange } from '../../../shared/recording/recordings';

/** A history entry for tests: the TCP echo, complete. */
export const summary = (id: string, pinned = false): RecordingSummary => ({
  id,
  scenario: 'library/tcp-echo-protocol.ts',
  clock: 'real',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 100,
  events: 10,
  lines: 12,
  sizeBytes: 2048,
  pinned,
  status: 'complete',
  runState: 'finished',
});

/** The recordings service as unit tests see it: the history in memory, every call noted, changes on demand. */
export interface FakeRecordings {
  files: RecordingSummary[];
  calls: string[];
  change(c: RecordingsChange): void;
}

/** Installs an in-memory history (b.lwrec, then a.lwrec) as `window.loopwright.recordings`. */
export function installFakeRecordings(): FakeRecordings {
  const files = [summary('b.lwrec'), summary('a.lwrec')];
  const calls: string[] = [];
  let listener: ((c: RecordingsChange) => void) | undefined;
  const recordings: Partial<LoopwrightApi['recordings']> = {
    list: async () => files.map((f) => ({ ...f })),
    open: async (id) => {
      calls.push(`open ${id}`);
      throw new Error('replay is not part of this fake');
    },
    settings: async () => ({ maxBytes: 1024 ** 3 }),
    setSettings: async (s) => {
      calls.push(`bound ${s.maxBytes}`);
      return s;
    },
    folders: async () => ({ recordings: '/home/me/Loopwright/recordings', exports: '/home/me/Loopwright/recordings/exports' }),
    rename: async (id, name) => {
      calls.push(`rename ${id} ${name}`);
      const f = files.find((x) => x.id === id)!;
      f.id = `${name}.lwrec`;
      return { ...f };
    },
    delete: async (id) => {
      calls.push(`delete ${id}`);
      files.splice(files.findIndex((x) => x.id === id), 1);
      listener?.({ reason: 'deleted', ids: [id] });
      return null;
    },
    pin: async (id) => {
      calls.push(`pin ${id}`);
      files.find((x) => x.id === id)!.pinned = true;
      return null;
    },
    unpin: async (id) => {
      calls.push(`unpin ${id}`);
      return null;
    },
    export: async (id, format) => ({ file: `/home/me/Loopwright/recordings/exports/${id.replace('.lwrec', '')}.${format}`, sizeBytes: 300, notes: [] }),
    onDidChange: (l) => {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  };
  window.loopwright = { recordings } as unknown as LoopwrightApi;
  return { files, calls, change: (c) => listener?.(c) };
}

