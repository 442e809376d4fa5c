import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeRecordings, summary, type FakeRecordings } from '../testing/fake-recordings';
import { useDialogStore } from './dialogs';
import { useNotificationsStore } from './notifications';
import { useRecordingsStore } from './recordings';
import { useReplayStore } from './replay';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the recordings store', () => {
  let host: FakeRecordings;
  beforeEach(async () => {
    setActivePinia(createPinia());
    host = installFakeRecordings();
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
