import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { DEFAULT_MAX_RECORDING_BYTES, type ExportFormat, type ExportResult, type RecordingSummary } from '../../../shared/recording/recordings';
import { useApi } from '../api/client';
import { describeError } from '../api/errors';
import { useDialogStore } from './dialogs';
import { useHostStore } from './host';
import { useNotificationsStore } from './notifications';
import { useReplayStore } from './replay';

/** What a history action answers. */
export type RecordingResult = { ok: true } | { ok: false; message: string };

/** The export formats as the history offers them. */
export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; detail: string }[] = [
  { format: 'pcapng', label: 'pcapng', detail: 'TCP and UDP traffic for Wireshark' },
  { format: 'trace', label: 'Chrome trace', detail: 'callbacks and tasks for Perfetto or chrome://tracing' },
  { format: 'cast', label: 'asciinema cast', detail: 'the terminal traffic, to play back with asciinema' },
];

/** A finished export, for the history's "last export" line and its download link. */
export interface ExportDone extends ExportResult {
  name: string;
  /** Where browser mode serves it (null in Electron, where the file is on this machine). */
  url: string | null;
}

/** The file name of an export, from its path. */
const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/**
 * The session history: recordings newest first, their actions (rename, delete, pin, export) and
 * the disk-use bound. The list is re-read whenever the host says it changed.
 */
export const useRecordingsStore = defineStore('recordings', () => {
  const list = ref<RecordingSummary[]>([]);
  const loaded = ref(false);
  const problem = ref<string | null>(null);
  const maxBytes = ref(DEFAULT_MAX_RECORDING_BYTES);
  const folders = ref<{ recordings: string; exports: string } | null>(null);
  const lastExport = ref<ExportDone | null>(null);
  /** Ids with an action in flight, so their buttons wait. */
  const busy = ref<Record<string, boolean>>({});
  let subscribed = false;

  const totalBytes = computed(() => list.value.reduce((sum, r) => sum + r.sizeBytes, 0));

  async function refresh(): Promise<void> {
    try {
      list.value = await useApi().recordings.list();
      problem.value = null;
    } catch (error) {
      problem.value = `The history could not be read: ${describeError(error)}`;
    }
    loaded.value = true;
  }

  /** Reads the list, the bound and the folders, and follows changes (once). */
  async function connect(): Promise<void> {
    const api = useApi().recordings;
    if (!subscribed) {
      subscribed = true;
      api.onDidChange((change) => {
        void refresh();
        const replay = useReplayStore();
        if ((change.reason === 'deleted' || change.reason === 'pruned') && replay.id !== null && change.ids.includes(replay.id)) {
          replay.close();
          useNotificationsStore().notify('The recording being replayed was deleted: replay mode ended.');
        }
        if (change.reason === 'settings') void api.settings().then((s) => (maxBytes.value = s.maxBytes), () => {});
      });
    }
    await refresh();
    try {
      maxBytes.value = (await api.settings()).maxBytes;
      folders.value = await api.folders();
    } catch {
      // The list's problem line already says when the host cannot answer.
    }
  }

  /** Runs an action with the recording's buttons waiting. */
  async function withBusy<T>(id: string, action: () => Promise<T>): Promise<T> {
    busy.value = { ...busy.value, [id]: true };
    try {
      return await action();
    } finally {
      const { [id]: _done, ...rest } = busy.value;
      busy.value = rest;
    }
  }

  /** Runs an action; a failure becomes an error notice. */
  function act(id: string, action: () => Promise<unknown>, failure: string): Promise<RecordingResult> {
    return withBusy(id, async () => {
      try {
        await action();
        return { ok: true } as const;
      } catch (error) {
        const message = `${failure}: ${describeError(error)}`;
        useNotificationsStore().notify(message, 'error');
        return { ok: false, message } as const;
      }
    });
  }

  /** Renames a recording (its file); the new id comes with the next list. */
  async function rename(id: string, name: string): Promise<RecordingResult> {
    const trimmed = name.trim();
    if (trimmed === '') return { ok: false, message: 'A recording needs a name.' };
    return withBusy(id, async () => {
      try {
        const renamed = await useApi().recordings.rename(id, trimmed);
        useReplayStore().retarget(id, renamed.id);
        await refresh();
        return { ok: true } as const;
      } catch (error) {
        return { ok: false, message: describeError(error) } as const;
      }
    });
  }

  /** Deletes a recording after asking. */
  async function remove(summary: RecordingSummary): Promise<RecordingResult> {
    const confirmed = await useDialogStore().confirm({
      title: 'Delete recording',
      message: `Delete the recording of ${summary.scenario} from ${new Date(summary.startedAt).toLocaleString('en-GB')}?`,
      detail: `${summary.id} will be removed from the disk. This cannot be undone.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!confirmed) return { ok: false, message: 'Kept.' };
    return act(summary.id, () => useApi().recordings.delete(summary.id), `Could not delete ${summary.id}`);
  }

  /** Pins or unpins a recording (pinned ones outlive the disk bound). */
  function togglePin(summary: RecordingSummary): Promise<RecordingResult> {
    const api = useApi().recordings;
    return act(summary.id, () => (summary.pinned ? api.unpin(summary.id) : api.pin(summary.id)), `Could not ${summary.pinned ? 'unpin' : 'pin'} ${summary.id}`);
  }

  /** Exports a recording into the exports folder; browser mode also offers the file for download. */
  function exportAs(id: string, format: ExportFormat): Promise<ExportDone | null> {
    return withBusy(id, async () => {
      try {
        const result = await useApi().recordings.export(id, format);
        const name = baseName(result.file);
        const url = useHostStore().info?.mode === 'electron' ? null : `/exports/${encodeURIComponent(name)}`;
        lastExport.value = { ...result, name, url };
        const notes = result.notes.length > 0 ? ` (${result.notes.join('; ')})` : '';
        useNotificationsStore().notify(`Exported to ${result.file}${notes}`);
        return lastExport.value;
      } catch (error) {
        useNotificationsStore().notify(`Could not export ${id}: ${describeError(error)}`, 'error');
        return null;
      }
    });
  }

  /** Changes the disk-use bound (bytes); recordings beyond it go at once, oldest unpinned first. */
  async function setMaxBytes(bytes: number): Promise<RecordingResult> {
    try {
      maxBytes.value = (await useApi().recordings.setSettings({ maxBytes: Math.round(bytes) })).maxBytes;
      return { ok: true };
    } catch (error) {
      return { ok: false, message: describeError(error) };
    }
  }

  return { list, loaded, problem, maxBytes, folders, lastExport, busy, totalBytes, refresh, connect, rename, remove, togglePin, exportAs, setMaxBytes };
});
