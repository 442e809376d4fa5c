import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { EventBatch, completeEncodedEvents } from '../runs/event-batch';
import { LineBlocks } from '../runs/line-blocks';
import { RecordingHeaderSchema, RecordingLineSchema } from '../../../shared/recording/format';
import { RecordingFile } from './recording-file';
import { parseRecording, readRecording, RecordingError } from './recording-reader';
import { PARTIAL_SUFFIX, recordingHeader, RecordingWriter } from './recording-writer';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'loopwright-rec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = () => recordingHeader({ appVersion: '0.1.0', platform: 'linux x64', scenarioPath: 'library/hello.ts', source: "console.log('é')\n", clock: 'virtual' });

async function smallRecording(name: string): Promise<string> {
  const writer = await RecordingWriter.create(path.join(dir, name), header());
  writer.append([{ kind: 'state', state: 'running' }]);
  writer.append([
    { kind: 'event', event: { type: 'handle-scheduled', time: 0, id: 1, callback: 'helloWorld', args: '<loop>' } },
    { kind: 'event', event: { type: 'handle-started', time: 0, id: 1 } },
    { kind: 'output', stream: 'stdout', text: 'Hello Wörld ✓\n' },
    { kind: 'event', event: { type: 'handle-finished', time: 0, id: 1 } },
  ]);
  writer.append([{ kind: 'state', state: 'finished' }]);
  return writer.finish();
}

describe('recordings', () => {
  it('round-trips: a header line, then numbered lines in order, valid against the schema', async () => {
    const file = await smallRecording('a.lwrec');
    expect(existsSync(file + PARTIAL_SUFFIX)).toBe(false);
    const opened = await readRecording(file);
    expect(RecordingHeaderSchema.parse(opened.header).scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(opened.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const line of opened.lines) RecordingLineSchema.parse(line);
    expect(opened.lines[3]).toMatchObject({ kind: 'output', text: 'Hello Wörld ✓\n' });
    expect(opened.warnings).toEqual([]);
  });

  it('writes under a .partial name until finished, and that file opens too (a crash leaves it)', async () => {
    const file = path.join(dir, 'b.lwrec');
    const writer = await RecordingWriter.create(file, header());
    writer.append([{ kind: 'state', state: 'running' }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(existsSync(file)).toBe(false);
    expect((await readRecording(file + PARTIAL_SUFFIX)).lines).toHaveLength(1);
    await writer.finish();
    expect(existsSync(file)).toBe(true);
  });

  it('refuses to overwrite a recording in progress', async () => {
    const file = path.join(dir, 'c.lwrec');
    const writer = await RecordingWriter.create(file, header());
    await expect(RecordingWriter.create(file, header())).rejects.toThrow();
    await writer.finish();
  });

  it('drops only a torn last line, and says so', async () => {
    const text = readFileSync(await smallRecording('d.lwrec'), 'utf8');
    const torn = text.slice(0, text.length - 10);
    const opened = parseRecording(torn);
    expect(opened.lines).toHaveLength(5);
    expect(opened.warnings[0]).toMatch(/the last line \(line 7\) was cut off/);
  });

  it('reports a bad line in the middle as corruption with its line number, never skipping it', async () => {
    const lines = readFileSync(await smallRecording('e.lwrec'), 'utf8').split('\n');
    lines[3] = '{"seq":3,"wall":0,"kind":"event","event":{"type":"handle-start';
    const error = (() => {
      try {
        parseRecording(lines.join('\n'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RecordingError);
    expect(error).toMatchObject({ code: 'corrupt', line: 4, message: expect.stringContaining('line 4 is corrupt') });
  });

  it('says a newer format was made by a newer Loopwright', () => {
    const newer = JSON.stringify({ ...header(), version: 99 }) + '\n';
    expect(() => parseRecording(newer)).toThrow(/made by a newer Loopwright \(format version 99\)/);
  });

  it('opens or fails clearly when truncated at every byte offset', async () => {
    const bytes = readFileSync(await smallRecording('f.lwrec'));
    const full = parseRecording(bytes.toString('utf8')).lines.length;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const text = bytes.subarray(0, cut).toString('utf8');
      try {
        const opened = parseRecording(text);
        expect(opened.lines.length).toBeLessThanOrEqual(full);
        expect(opened.lines.map((l) => l.seq)).toEqual(Array.from({ length: opened.lines.length }, (_, i) => i + 1));
      } catch (error) {
        expect(error, `cut at ${cut}`).toBeInstanceOf(RecordingError);
        expect((error as RecordingError).code, `cut at ${cut}`).toBe('empty');
      }
    }
  });

  it('refuses a file that is not a recording', () => {
    writeFileSync(path.join(dir, 'x.txt'), 'hello\n');
    expect(() => parseRecording('hello\n')).toThrow(/not a Loopwright recording/);
    expect(() => parseRecording('{"format":"other"}\n')).toThrow(/not a Loopwright recording/);
    expect(() => parseRecording('')).toThrow(/empty/);
  });

  it('writes engine events with appendEvents and a worker batch with appendEncodedEvents as the lines append writes', async () => {
    const events: EngineEvent[] = [
      { type: 'handle-scheduled', time: 0.5, id: 7, callback: 'cb', args: '"é", 1' },
      { type: 'handle-started', time: 1234.567891, id: 7 },
      { type: 'transport-data', time: 1234.567891, transportId: 3, kind: 'tcp', direction: 'out', data: 'AAEC/w==', size: 4 },
      { type: 'task-step', time: 1234.6, id: 9, throws: undefined },
    ];
    const a = await RecordingWriter.create(path.join(dir, 'g1.lwrec'), header());
    a.append(events.map((event) => ({ kind: 'event' as const, event })));
    const b = await RecordingWriter.create(path.join(dir, 'g2.lwrec'), header());
    b.appendEvents(events);
    const c = await RecordingWriter.create(path.join(dir, 'g3.lwrec'), header());
    for (const part of [events.slice(0, 1), events.slice(1)]) {
      const batch = new EventBatch();
      for (const e of part) batch.add(e);
      c.appendEncodedEvents(batch.take()!);
    }
    const [fa, fb, fc] = [await a.finish(), await b.finish(), await c.finish()];
    const lines = (f: string) => readRecording(f).then((r) => r.lines.map((l) => ({ ...l, wall: 0 })));
    const expected = await lines(fa);
    expect(expected).toHaveLength(events.length);
    expect(await lines(fb)).toEqual(expected);
    expect(await lines(fc)).toEqual(expected);
    for (const line of expected) expect(RecordingLineSchema.safeParse(line).success).toBe(true);
  });

  it('holds a batch whose lines are in a block the host uses again until they are written, then lets it go', async () => {
    const blocks = new LineBlocks();
    const events: EngineEvent[] = Array.from({ length: 500 }, (_, i) => ({ type: 'handle-started', time: i, id: i }));
    const batch = new EventBatch();
    for (const e of events) batch.add(e);
    const taken = batch.take()!;
    const lend = completeEncodedEvents(taken, blocks)!;
    const writer = await RecordingWriter.create(path.join(dir, 'g5.lwrec'), header());
    writer.appendEncodedEvents(taken);
    // The run has handed the batch over; the recorder still holds the block.
    lend();
    expect(blocks.spareCount).toBe(0);
    const file = await writer.finish();
    expect(blocks.spareCount).toBe(1);
    // Scribbled over once back: the recording has what was written before.
    blocks.take(1).fill(0x78);
    const opened = await readRecording(file);
    expect(opened.lines.map((l) => (l.kind === 'event' ? l.event : null))).toEqual(events);
  });

  it('numbers the lines of worker batches on from any line, across every change in the number of digits', async () => {
    const writer = await RecordingWriter.create(path.join(dir, 'g4.lwrec'), header());
    writer.append([{ kind: 'state', state: 'running' }]);
    for (const size of [10_050, 7, 1, 940, 2]) {
      const batch = new EventBatch();
      for (let i = 0; i < size; i++) batch.add({ type: 'handle-started', time: i, id: i });
      writer.appendEncodedEvents(batch.take()!);
      writer.append([{ kind: 'output', stream: 'stdout', text: `${size}\n` }]);
    }
    const opened = await readRecording(await writer.finish());
    expect(opened.lines.map((l) => l.seq)).toEqual(Array.from({ length: 1 + 11_000 + 5 }, (_, i) => i + 1));
    expect(opened.lines.filter((l) => l.kind === 'event')).toHaveLength(11_000);
  });
});

describe('opening a recording file for replay', () => {
  it('reads the same lines as the whole-text parser, and reads any range back', async () => {
    const file = await smallRecording('h.lwrec');
    const opened = await RecordingFile.open(file);
    const parsed = await readRecording(file);
    expect(opened.lineCount).toBe(parsed.lines.length);
    expect(opened.range(1, opened.lineCount)).toEqual(parsed.lines);
    expect(opened.range(3, 4)).toEqual(parsed.lines.slice(2, 4));
    expect(opened.pick([2, 5])).toEqual([parsed.lines[1], parsed.lines[4]]);
    expect(opened.header).toEqual(parsed.header);
  });

  it('agrees with the parser at every truncation: the same lines and warning, or the same clear error', async () => {
    const bytes = readFileSync(await smallRecording('i.lwrec'));
    const cut = path.join(dir, 'i-cut.lwrec');
    for (let at = 0; at <= bytes.length; at++) {
      writeFileSync(cut, bytes.subarray(0, at));
      let expected: unknown;
      try {
        const p = parseRecording(bytes.subarray(0, at).toString('utf8'));
        expected = { lines: p.lines, warnings: p.warnings };
      } catch (error) {
        expected = { code: (error as RecordingError).code };
      }
      let actual: unknown;
      try {
        const o = await RecordingFile.open(cut);
        actual = { lines: o.range(1, o.lineCount), warnings: o.warnings };
      } catch (error) {
        expect(error, `cut at ${at}`).toBeInstanceOf(RecordingError);
        actual = { code: (error as RecordingError).code };
      }
      expect(actual, `cut at ${at}`).toEqual(expected);
    }
  });

  it('reports a corrupt line in the middle with its number, and a newer version as such', async () => {
    const lines = readFileSync(await smallRecording('j.lwrec'), 'utf8').split('\n');
    lines[2] = '{"seq":2,"wall":0,"kind":"event","event":{"type":"handle-scheduled"';
    writeFileSync(path.join(dir, 'j-bad.lwrec'), lines.join('\n'));
    await expect(RecordingFile.open(path.join(dir, 'j-bad.lwrec'))).rejects.toMatchObject({ code: 'corrupt', line: 3, message: expect.stringContaining('line 3 is corrupt') });
    writeFileSync(path.join(dir, 'j-new.lwrec'), JSON.stringify({ ...header(), version: 2 }) + '\n');
    await expect(RecordingFile.open(path.join(dir, 'j-new.lwrec'))).rejects.toMatchObject({ code: 'newer-version' });
  });
});
