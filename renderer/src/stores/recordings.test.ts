import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LoopwrightApi } from '../../../shared/ipc/contract';
import type { RecordingSummary, RecordingsChange } from '../../../shared/recording/recordings';
import { useDialogStore } from './dialogs';
import { useNotificationsStore } from './notifications';
import { useRecordingsStore } from './recordings';
import { useReplayStore } from './replay';

const summary = (id: string, pinned = false): RecordingSummary => ({
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

/** An in-memory history with the host's change events. */
function installHistory(): { files: RecordingSummary[]; calls: string[]; change(c: RecordingsChange): void } {
  const files = [summary('b.lwrec'), summary('a.lwrec')];
  const calls: string[] = [];
  let listener: ((c: RecordingsChange) => void) | undefined;
  const recordings: Partial<LoopwrightApi['recordings']> = {
    list: async () => files.map((f) => ({ ...f })),
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

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the recordings store', () => {
  let host: ReturnType<typeof installHistory>;
  beforeEach(async () => {
    setActivePinia(createPinia());
    host = installHistory();
    await useRecordingsStore().connect();
  });

  it('lists the history and re-reads it when the host says it changed', async () => {
    const recordings = useRecordingsStore();
    expect(recordings.list.map((r) => r.id)).toEqual(['b.lwrec', 'a.lwrec']);
    expect(recordings.totalBytes).toBe(4096);
    host.files.unshift(summary('c.lwrec'));
    host.change({ reason: 'finished', ids: ['c.lwrec.partial', 'c.lwrec'] });
    await tick();
    expect(recordings.list.map((r) => r.id)).toEqual(['c.lwrec', 'b.lwrec', 'a.lwrec']);
  });

  it('deletes only after the user confirms, and leaves replay mode when the replayed recording goes', async () => {
    const recordings = useRecordingsStore();
    const dialogs = useDialogStore();
    const replay = useReplayStore();
    replay.id = 'a.lwrec';
    let answer = recordings.remove(recordings.list[1]);
    await tick();
    expect(dialogs.current?.title).toBe('Delete recording');
    dialogs.answer('cancel');
    expect(await answer).toEqual({ ok: false, message: 'Kept.' });
    expect(host.calls).toEqual([]);
    answer = recordings.remove(recordings.list[1]);
    await tick();
    dialogs.answer('confirm');
    expect(await answer).toEqual({ ok: true });
    await tick();
    expect(host.calls).toEqual(['delete a.lwrec']);
    expect(recordings.list.map((r) => r.id)).toEqual(['b.lwrec']);
    expect(replay.id).toBeNull();
    expect(useNotificationsStore().notices.map((n) => n.message)).toContain('The recording being replayed was deleted: replay mode ended.');
  });

  it('renames a recording, and the replay follows it to its new file name', async () => {
    const recordings = useRecordingsStore();
    useReplayStore().id = 'b.lwrec';
    expect(await recordings.rename('b.lwrec', '  first echo ')).toEqual({ ok: true });
    expect(host.calls).toEqual(['rename b.lwrec first echo']);
    expect(useReplayStore().id).toBe('first echo.lwrec');
    expect(recordings.list.map((r) => r.id)).toContain('first echo.lwrec');
    expect(await recordings.rename('a.lwrec', '   ')).toEqual({ ok: false, message: 'A recording needs a name.' });
  });

  it('pins, exports with a download address in browser mode, and changes the disk bound', async () => {
    const recordings = useRecordingsStore();
    expect(await recordings.togglePin(recordings.list[0])).toEqual({ ok: true });
    expect(host.calls).toEqual(['pin b.lwrec']);
    const done = await recordings.exportAs('b.lwrec', 'pcapng');
    expect(done).toMatchObject({ name: 'b.pcapng', url: '/exports/b.pcapng', file: '/home/me/Loopwright/recordings/exports/b.pcapng' });
    expect(recordings.lastExport?.name).toBe('b.pcapng');
    expect(useNotificationsStore().notices.at(-1)?.message).toBe('Exported to /home/me/Loopwright/recordings/exports/b.pcapng');
    expect(await recordings.setMaxBytes(512 * 1024 * 1024)).toEqual({ ok: true });
    expect(recordings.maxBytes).toBe(512 * 1024 * 1024);
    expect(host.calls.at(-1)).toBe(`bound ${512 * 1024 * 1024}`);
  });
});
