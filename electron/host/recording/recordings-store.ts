// The session history on disk: one folder of recordings (`<start>_<scenario>.lwrec`, or
// `.lwrec.partial` while a run writes it or after a crash cut it short), a small settings file
// beside them (pins and the disk-use bound), and the bound enforced by deleting the oldest
// unpinned recordings first.
import { mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { RecordingHeader } from '../../../shared/recording/format';
import { DEFAULT_MAX_RECORDING_BYTES, RecordingIdSchema, type RecordingSettings, type RecordingSummary } from '../../../shared/recording/recordings';
import { writeFileAtomic } from '../scenarios/atomic-write';
import { RecordingFile } from './recording-file';
import { checkHeader, RecordingError } from './recording-reader';
import { PARTIAL_SUFFIX } from './recording-writer';
import { RunRecorder, type RecordingTotals } from './run-recorder';
import { loadSummaries, saveSummaries, type CachedSummary } from './summary-cache';

/** The extension of a recording file. */
export const RECORDING_EXTENSION = '.lwrec';
const SETTINGS_FILE = '.loopwright-recordings.json';
const OPEN_CACHE = 3;

const SettingsFileSchema = z.object({
  maxBytes: z.number().int().positive().optional(),
  pins: z.array(z.string()).optional(),
});

/** Why a history operation was refused; the message says it in a sentence. */
export class RecordingsStoreError extends Error {
  override readonly name = 'RecordingsStoreError';
  constructor(
    readonly code: 'not-found' | 'exists' | 'busy' | 'invalid-name',
    message: string,
  ) {
    super(message);
  }
}

/** A file name for a recording started at `startedAt` of `scenarioPath`. */
export function recordingFileName(startedAt: Date, scenarioPath: string): string {
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace('.', '-');
  const base = path.basename(scenarioPath).replace(/\.[cm]?[jt]sx?$/, '').replace(/[^\w.-]+/g, '-').slice(0, 80) || 'scenario';
  return `${stamp}_${base}${RECORDING_EXTENSION}`;
}

/**
 * Reads what the list shows without parsing every line: the header, then a byte scan that counts
 * lines and event lines, and the last complete line for the duration and the run's end state.
 */
async function quickSummary(folder: string, id: string): Promise<CachedSummary['summary']> {
  const file = path.join(folder, id);
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    let position = 0;
    let carry = Buffer.alloc(0);
    let header: RecordingHeader | undefined;
    let lines = 0;
    let events = 0;
    let last: Buffer | null = null;
    const EVENT = Buffer.from('"kind":"event"');
    // Every line the writer makes is one JSON object that starts with its seq: a line that does not
    // look so is damage, which the list says before anyone opens the file (opening names it exactly).
    const HEAD = Buffer.from('{"seq":');
    let damagedLine = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const chunk = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(10, from);
        if (nl < 0) break;
        if (header === undefined) header = checkHeader(JSON.parse(chunk.toString('utf8', from, nl)));
        else {
          lines++;
          const whole = nl - from > HEAD.length && chunk.compare(HEAD, 0, HEAD.length, from, from + HEAD.length) === 0 && chunk[nl - 1] === 125;
          if (!whole && damagedLine === 0) damagedLine = lines + 1; // the header is line 1
          // The writer puts seq, wall and kind first: the kind is within the first 64 bytes.
          const at = chunk.indexOf(EVENT, from);
          if (at >= 0 && at < Math.min(nl, from + 64)) events++;
          last = chunk.subarray(from, nl);
        }
        from = nl + 1;
      }
      carry = Buffer.from(chunk.subarray(from));
      if (last !== null) last = Buffer.from(last);
    }
    if (header === undefined) throw new RecordingError('empty', 'the recording has no complete header line');
    let durationMs = 0;
    let runState: RecordingSummary['runState'] = null;
    if (last !== null) {
      const line = JSON.parse(last.toString('utf8')) as { wall?: number; kind?: string; state?: string };
      durationMs = typeof line.wall === 'number' ? line.wall : 0;
      if (line.kind === 'state' && (line.state === 'finished' || line.state === 'failed' || line.state === 'stopped')) runState = line.state;
    }
    // A finished file ends with a newline; a `.partial` one may end torn (its status says why).
    const problem =
      damagedLine > 0
        ? `line ${damagedLine} looks damaged: opening the recording says what is wrong`
        : carry.length > 0 && !id.endsWith(PARTIAL_SUFFIX)
          ? `the last line (line ${lines + 2}) is cut off`
          : undefined;
    return { id, scenario: header.scenario.path, clock: header.clock, startedAt: header.startedAt, durationMs, events, lines, sizeBytes: size, runState, ...(problem ? { problem } : {}) };
  } finally {
    await handle.close();
  }
}

/** The recordings folder and what the app knows about it. */
export class RecordingsStore {
  /** Recordings a run is writing now, with their headers (their files grow: they are not scanned). */
  private readonly active = new Map<string, { recorder: RunRecorder; header: RecordingHeader }>();
  private readonly summaries = new Map<string, CachedSummary>();
  /** Whether the summaries kept from earlier starts were read (see summary-cache.ts). */
  private summariesLoaded = false;
  /** Whether `summaries` has entries the kept file lacks. */
  private summariesChanged = false;
  private readonly opened = new Map<string, { stamp: string; file: Promise<RecordingFile> }>();
  private settings: { maxBytes: number; pins: Set<string> } | undefined;
  /** Called when the list changed (a recording started, finished, was renamed, deleted, pinned, pruned). */
  onChange: (reason: 'started' | 'finished' | 'renamed' | 'deleted' | 'pinned' | 'pruned' | 'settings', ids: string[]) => void = () => {};

  constructor(readonly folder: string) {}

  /** The absolute path of a recording (the id is checked: a file name in the folder). */
  pathOf(id: string): string {
    if (!RecordingIdSchema.safeParse(id).success) throw new RecordingsStoreError('invalid-name', `"${id}" is not a recording in the history`);
    return path.join(this.folder, id);
  }

  private async loadSettings(): Promise<{ maxBytes: number; pins: Set<string> }> {
    if (this.settings) return this.settings;
    let parsed: z.infer<typeof SettingsFileSchema> = {};
    try {
      parsed = SettingsFileSchema.parse(JSON.parse(await readFile(path.join(this.folder, SETTINGS_FILE), 'utf8')));
    } catch {
      // No settings yet, or unreadable ones: start from the defaults rather than refuse to work.
    }
    this.settings = { maxBytes: parsed.maxBytes ?? DEFAULT_MAX_RECORDING_BYTES, pins: new Set(parsed.pins ?? []) };
    return this.settings;
  }

  private async saveSettings(): Promise<void> {
    const s = await this.loadSettings();
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomic(path.join(this.folder, SETTINGS_FILE), `${JSON.stringify({ maxBytes: s.maxBytes, pins: [...s.pins].sort() }, null, 2)}\n`);
  }

  /** Starts recording a run: creates `<name>.lwrec.partial` and returns the recorder. */
  async startRecording(header: RecordingHeader): Promise<{ id: string; recorder: RunRecorder }> {
    await mkdir(this.folder, { recursive: true });
    const name = recordingFileName(new Date(header.startedAt), header.scenario.path);
    let id = name;
    for (let n = 2; ; n++) {
      const taken = await Promise.all([stat(path.join(this.folder, id)).then(() => true, () => false), stat(path.join(this.folder, id + PARTIAL_SUFFIX)).then(() => true, () => false)]);
      if (!taken[0] && !taken[1]) break;
      id = name.replace(RECORDING_EXTENSION, `-${n}${RECORDING_EXTENSION}`);
    }
    const recorder = await RunRecorder.create(path.join(this.folder, id), header);
    const partialId = id + PARTIAL_SUFFIX;
    this.active.set(partialId, { recorder, header });
    this.onChange('started', [partialId]);
    void recorder.done.then(async (totals: RecordingTotals) => {
      this.active.delete(partialId);
      if (totals.failure === 'discarded') {
        this.onChange('deleted', [partialId]);
        return;
      }
      if (totals.failure === undefined) await this.keepSummary(header, totals).catch(() => {});
      this.onChange('finished', [partialId, path.basename(totals.file)]);
      await this.prune().catch(() => {});
    });
    return { id: partialId, recorder };
  }

  /** The summary of a recording this store wrote, from its recorder's totals: the list need not read it through. */
  private async keepSummary(header: RecordingHeader, totals: RecordingTotals): Promise<void> {
    const s = await stat(totals.file);
    const id = path.basename(totals.file);
    const summary = { id, scenario: header.scenario.path, clock: header.clock, startedAt: header.startedAt, durationMs: totals.durationMs, events: totals.events, lines: totals.lines, sizeBytes: s.size, runState: totals.runState };
    this.summaries.set(id, { stamp: `${s.size}:${s.mtimeMs}`, summary });
    this.summariesChanged = true;
  }

  /** Every recording, newest first. */
  async list(): Promise<RecordingSummary[]> {
    const settings = await this.loadSettings();
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return [];
    }
    const ids = names.filter((n) => !n.startsWith('.') && (n.endsWith(RECORDING_EXTENSION) || n.endsWith(RECORDING_EXTENSION + PARTIAL_SUFFIX)));
    if (!this.summariesLoaded) {
      this.summariesLoaded = true;
      for (const [id, kept] of await loadSummaries(this.folder)) if (!this.summaries.has(id)) this.summaries.set(id, kept);
    }
    const out: RecordingSummary[] = [];
    for (const id of ids) {
      const pinned = settings.pins.has(id);
      const active = this.active.get(id);
      const status: RecordingSummary['status'] = active ? 'recording' : id.endsWith(PARTIAL_SUFFIX) ? 'cut-short' : 'complete';
      try {
        const s = await stat(path.join(this.folder, id));
        const stampNow = `${s.size}:${s.mtimeMs}`;
        let cached = this.summaries.get(id);
        if (active) {
          // The file grows while we look: take the recorder's own counts instead of scanning it.
          const p = active.recorder.progress();
          const h = active.header;
          cached = { stamp: '', summary: { id, scenario: h.scenario.path, clock: h.clock, startedAt: h.startedAt, lines: p.lines, events: p.events, durationMs: p.durationMs, sizeBytes: s.size, runState: null } };
        } else if (cached === undefined || cached.stamp !== stampNow) {
          cached = { stamp: stampNow, summary: await quickSummary(this.folder, id) };
          this.summaries.set(id, cached);
          this.summariesChanged = true;
        }
        if (cached) out.push({ ...cached.summary, pinned, status });
      } catch (error) {
        out.push({ id, scenario: '?', clock: 'real', startedAt: new Date(0).toISOString(), durationMs: 0, events: 0, lines: 0, sizeBytes: 0, pinned, status, runState: null, problem: error instanceof Error ? error.message : String(error) });
      }
    }
    if (this.summariesChanged) {
      // Kept for the next start: those of the recordings listed now.
      this.summariesChanged = false;
      const kept = new Map([...this.summaries].filter(([id]) => ids.includes(id)));
      await saveSummaries(this.folder, kept).catch(() => {});
    }
    return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : -1));
  }

  /** Opens (and indexes) a recording for replay; repeated opens of an unchanged file are cached. */
  async open(id: string): Promise<RecordingFile> {
    const file = this.pathOf(id);
    let stampNow: string;
    try {
      const s = await stat(file);
      stampNow = `${s.size}:${s.mtimeMs}`;
    } catch {
      throw new RecordingsStoreError('not-found', `there is no recording "${id}" in the history (it was deleted or renamed)`);
    }
    const cached = this.opened.get(id);
    // A recording in progress grows with every batch: keep the opening made so far rather than
    // indexing the whole file again on every call (open it again once the run has ended).
    if (cached && (cached.stamp === stampNow || this.active.has(id))) {
      // Most recently used last.
      this.opened.delete(id);
      this.opened.set(id, cached);
      return cached.file;
    }
    const opening = RecordingFile.open(file);
    this.opened.set(id, { stamp: stampNow, file: opening });
    opening.catch(() => this.opened.delete(id));
    while (this.opened.size > OPEN_CACHE) this.opened.delete(this.opened.keys().next().value as string);
    return opening;
  }

  /** Renames a recording (the extension is kept); refused while it is being recorded. */
  async rename(id: string, newName: string): Promise<string> {
    const from = this.pathOf(id);
    if (this.active.has(id)) throw new RecordingsStoreError('busy', 'a run is still writing this recording: rename it when the run has ended');
    const suffix = id.endsWith(PARTIAL_SUFFIX) ? RECORDING_EXTENSION + PARTIAL_SUFFIX : RECORDING_EXTENSION;
    const stem = newName.trim().replace(/\.lwrec(\.partial)?$/, '');
    if (stem === '' || /[/\\]/.test(stem) || stem.startsWith('.') || stem.length > 200) {
      throw new RecordingsStoreError('invalid-name', `"${newName}" cannot be a recording's name (no slashes, not starting with a dot, at most 200 characters)`);
    }
    const newId = stem + suffix;
    if (newId === id) return id;
    const to = this.pathOf(newId);
    if (await stat(to).then(() => true, () => false)) throw new RecordingsStoreError('exists', `a recording named "${newId}" already exists`);
    await rename(from, to).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new RecordingsStoreError('not-found', `there is no recording "${id}" in the history`);
      throw error;
    });
    const settings = await this.loadSettings();
    if (settings.pins.delete(id)) {
      settings.pins.add(newId);
      await this.saveSettings();
    }
    this.forget(id);
    this.onChange('renamed', [id, newId]);
    return newId;
  }

  /** Deletes a recording; refused while it is being recorded. */
  async delete(id: string): Promise<void> {
    const file = this.pathOf(id);
    if (this.active.has(id)) throw new RecordingsStoreError('busy', 'a run is still writing this recording: stop the run first');
    await unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new RecordingsStoreError('not-found', `there is no recording "${id}" in the history`);
      throw error;
    });
    const settings = await this.loadSettings();
    if (settings.pins.delete(id)) await this.saveSettings();
    this.forget(id);
    this.onChange('deleted', [id]);
  }

  /** Pins (keeps whatever the disk bound says) or unpins a recording. */
  async setPinned(id: string, pinned: boolean): Promise<void> {
    const file = this.pathOf(id);
    if (!(await stat(file).then(() => true, () => false))) throw new RecordingsStoreError('not-found', `there is no recording "${id}" in the history`);
    const settings = await this.loadSettings();
    if (pinned) settings.pins.add(id);
    else settings.pins.delete(id);
    await this.saveSettings();
    this.onChange('pinned', [id]);
    if (!pinned) await this.prune();
  }

  /** The disk-use bound. */
  async getSettings(): Promise<RecordingSettings> {
    return { maxBytes: (await this.loadSettings()).maxBytes };
  }

  /** Changes the disk-use bound and applies it at once. */
  async setSettings(settings: RecordingSettings): Promise<RecordingSettings> {
    const s = await this.loadSettings();
    s.maxBytes = settings.maxBytes;
    await this.saveSettings();
    this.onChange('settings', []);
    await this.prune();
    return { maxBytes: s.maxBytes };
  }

  /**
   * Keeps the folder within the bound: deletes the oldest unpinned recordings that no run is
   * writing until the total fits. The newest recording stays, however large: a run that recorded
   * more than the bound would otherwise lose its recording as it finished, before anyone saw it (it
   * goes when a newer one comes). Returns the ids it deleted.
   */
  async prune(): Promise<string[]> {
    const settings = await this.loadSettings();
    const all = await this.list();
    let total = all.reduce((sum, r) => sum + r.sizeBytes, 0);
    const deleted: string[] = [];
    const byAge = (a: RecordingSummary, b: RecordingSummary) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0);
    const finished = all.filter((r) => r.status !== 'recording').sort(byAge);
    const newest = finished.at(-1);
    const candidates = finished.filter((r) => !r.pinned && r !== newest);
    for (const r of candidates) {
      if (total <= settings.maxBytes) break;
      try {
        await unlink(path.join(this.folder, r.id));
        total -= r.sizeBytes;
        deleted.push(r.id);
        this.forget(r.id);
      } catch {
        // Already gone: nothing to free.
      }
    }
    if (deleted.length > 0) this.onChange('pruned', deleted);
    return deleted;
  }

  /** Finishes every recording in progress (the host is closing). */
  async finishAll(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.recorder.finish()));
  }

  private forget(id: string): void {
    this.summaries.delete(id);
    // The kept summaries are written again at the next listing, without this one.
    this.summariesChanged = true;
    this.opened.delete(id);
  }
}
