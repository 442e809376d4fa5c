import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingHeader, RecordingWriter } from './recording-writer';
import { RecordingsStore } from './recordings-store';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'loopwright-summaries-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function recording(folder: string, name: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const writer = await RecordingWriter.create(path.join(folder, name), recordingHeader({ appVersion: '0.1.0', platform: 'linux x64', scenarioPath: 'library/hello.ts', source: '', clock: 'virtual' }));
  writer.append([{ kind: 'state', state: 'running' }]);
  writer.appendEvents([
    { type: 'handle-scheduled', time: 0, id: 1, callback: 'helloWorld', args: '' },
    { type: 'handle-started', time: 0, id: 1 },
    { type: 'handle-finished', time: 0, id: 1 },
  ]);
  writer.append([{ kind: 'state', state: 'finished' }]);
  return writer.finish();
}

describe("the history's summaries kept between starts", () => {
  it('are read instead of the recording while its size and time stand, and made anew when they change', async () => {
    const folder = path.join(dir, 'a');
    const file = await recording(folder, 'r.lwrec');
    // A time in whole seconds, which setting it again gives back exactly.
    const when = new Date('2026-01-02T03:04:05Z');
    utimesSync(file, when, when);
    const first = await new RecordingsStore(folder).list();
    expect(first).toEqual([expect.objectContaining({ id: 'r.lwrec', events: 3, runState: 'finished' })]);
    expect(first[0].problem).toBeUndefined();
    expect(existsSync(path.join(folder, '.loopwright-summaries.json'))).toBe(true);

    // The same size and time, other bytes: a new start shows what was kept (the file was not read).
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"kind":"event"', '"kind":"EVENT"'));
    expect(statSync(file).size).toBe(text.length);
    utimesSync(file, when, when);
    const kept = await new RecordingsStore(folder).list();
    expect(kept).toEqual(first);

    // Touched: read through again, and the damage is found.
    utimesSync(file, when, new Date(when.getTime() + 5000));
    const again = await new RecordingsStore(folder).list();
    expect(again[0].events).toBe(2);
  });

  it("of a recording the store wrote come from its recorder's totals, and are what reading the file gives", async () => {
    const folder = path.join(dir, 'c');
    const store = new RecordingsStore(folder);
    const finished = new Promise<string>((resolve) => (store.onChange = (reason, ids) => reason === 'finished' && resolve(ids[1])));
    const { recorder } = await store.startRecording(recordingHeader({ appVersion: '0.1.0', platform: 'linux x64', scenarioPath: 'library/hello.ts', source: '', clock: 'virtual' }));
    recorder.listener.state!('running', {});
    recorder.listener.events!([
      { type: 'handle-scheduled', time: 0, id: 1, callback: 'helloWorld', args: '' },
      { type: 'handle-started', time: 0, id: 1 },
    ]);
    recorder.listener.output!([{ stream: 'stdout', text: 'Hello World\n' }]);
    recorder.listener.events!([{ type: 'handle-finished', time: 0, id: 1 }]);
    recorder.listener.state!('finished', {});
    const id = await finished;
    // Made as the recording finished, before any listing (which would otherwise read the file).
    expect((store as unknown as { summaries: Map<string, unknown> }).summaries.has(id)).toBe(true);
    const kept = (await store.list()).find((r) => r.id === id)!;
    expect(kept).toMatchObject({ events: 3, lines: 6, runState: 'finished' });
    rmSync(path.join(folder, '.loopwright-summaries.json'));
    const read = (await new RecordingsStore(folder).list()).find((r) => r.id === id);
    expect(read).toEqual(kept);
  });

  it('lose the entry of a recording the store deletes', async () => {
    const folder = path.join(dir, 'deleted');
    await recording(folder, 'a.lwrec');
    await recording(folder, 'b.lwrec');
    const store = new RecordingsStore(folder);
    expect((await store.list()).map((r) => r.id).sort()).toEqual(['a.lwrec', 'b.lwrec']);
    await store.delete('a.lwrec');
    await store.list();
    const kept = JSON.parse(readFileSync(path.join(folder, '.loopwright-summaries.json'), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(kept.entries)).toEqual(['b.lwrec']);
  });

  it('are made again from the recordings when the kept ones cannot be read', async () => {
    const folder = path.join(dir, 'b');
    await recording(folder, 's.lwrec');
    writeFileSync(path.join(folder, '.loopwright-summaries.json'), '{ not json');
    expect(await new RecordingsStore(folder).list()).toEqual([expect.objectContaining({ id: 's.lwrec', events: 3 })]);
    // And kept anew.
    expect(JSON.parse(readFileSync(path.join(folder, '.loopwright-summaries.json'), 'utf8')).entries['s.lwrec'].summary.events).toBe(3);
  });
});
