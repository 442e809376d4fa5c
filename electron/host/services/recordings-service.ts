import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoopwrightServices } from '../../../shared/ipc/contract';
import type { RecordingDetails, RecordingSummary } from '../../../shared/recording/recordings';
import { replayView, trafficSources } from '../../../shared/recording/replay-view';
import { EXPORT_EXTENSIONS, exportRecording } from '../recording/export-recording';
import { PARTIAL_SUFFIX } from '../recording/recording-writer';
import { RECORDING_EXTENSION, RecordingsStoreError, type RecordingsStore } from '../recording/recordings-store';

/** Publishes an event of the `recordings` service. */
type Publish = (channel: `recordings.on${string}`, payload: unknown) => void;

/** The `recordings` service: the session history, replay, exports and the disk-use bound. */
export function createRecordingsService(store: RecordingsStore, publish: Publish): LoopwrightServices['recordings'] {
  store.onChange = (reason, ids) => publish('recordings.onDidChange', { reason, ids });
  const exportsFolder = path.join(store.folder, 'exports');

  const summaryOf = async (id: string): Promise<RecordingSummary> => {
    const found = (await store.list()).find((r) => r.id === id);
    if (!found) throw new RecordingsStoreError('not-found', `there is no recording "${id}" in the history`);
    return found;
  };

  return {
    list: () => store.list(),

    async open(id) {
      const recording = await store.open(id);
      const timeline = recording.timeline;
      const { markers, omitted } = timeline.markers();
      const span = timeline.span();
      const details: RecordingDetails = {
        summary: await summaryOf(id),
        header: recording.header,
        warnings: recording.warnings,
        counts: { ...timeline.counts },
        loopTime: { start: span.loopStart, end: span.loopEnd },
        markers,
        markersOmitted: omitted,
        iterations: timeline.iterationTicks(2000),
        series: timeline.iterationSeries(2000),
        transports: trafficSources(timeline),
      };
      return details;
    },

    async stateAt(id, seq, options) {
      const recording = await store.open(id);
      return replayView(recording.timeline, seq, recording, options ?? {});
    },

    async seek(id, where) {
      const { timeline } = await store.open(id);
      if ('step' in where) return timeline.step(where.from, where.step, where.direction);
      return timeline.locate(where);
    },

    async rename(id, name) {
      return summaryOf(await store.rename(id, name));
    },

    async delete(id) {
      await store.delete(id);
      return null;
    },

    async pin(id) {
      await store.setPinned(id, true);
      return null;
    },

    async unpin(id) {
      await store.setPinned(id, false);
      return null;
    },

    async export(id, format, options) {
      const recording = await store.open(id);
      await mkdir(exportsFolder, { recursive: true });
      const stem = id.replace(PARTIAL_SUFFIX, '').replace(RECORDING_EXTENSION, '');
      const suffix = options?.transportId === undefined ? '' : `-transport-${options.transportId}`;
      let file = path.join(exportsFolder, `${stem}${suffix}${EXPORT_EXTENSIONS[format]}`);
      for (let n = 2; await stat(file).then(() => true, () => false); n++) file = path.join(exportsFolder, `${stem}${suffix}-${n}${EXPORT_EXTENSIONS[format]}`);
      return exportRecording(recording, format, file, options ?? {});
    },

    settings: () => store.getSettings(),
    setSettings: (settings) => store.setSettings(settings),
    folders: () => ({ recordings: store.folder, exports: exportsFolder }),
  };
}
