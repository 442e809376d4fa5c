import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ScenarioEntry, ScenarioRef } from '../../../shared/scenarios/scenario';
import { useApi } from '../api/client';
import { describeError } from '../api/errors';
import { fileName, keyOf, normalizeScenarioPath } from '../lib/scenario-ref';
import { useDialogStore } from './dialogs';
import { useEditorStore } from './editor';
import { useNotificationsStore } from './notifications';

/** The outcome of an explorer action: the entry it produced, or a sentence saying why not. */
export type ScenarioActionResult = { ok: true; entry?: ScenarioEntry } | { ok: false; message: string };

/**
 * The scenario explorer's data: the library's and the workspace's scenarios from `scenarios.list`,
 * the selection, and the workspace actions (create, rename, delete, copy from the library).
 * Failures come back as sentences from the host, for the explorer to show where they happened.
 */
export const useScenariosStore = defineStore('scenarios', () => {
  const entries = ref<ScenarioEntry[]>([]);
  const folders = ref<{ library: string; workspace: string } | null>(null);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const problem = ref<string | null>(null);
  const selectedKey = ref<string | null>(null);

  const library = computed(() => entries.value.filter((e) => e.ref.location === 'library'));
  const workspace = computed(() => entries.value.filter((e) => e.ref.location === 'workspace'));
  const selected = computed(() => entries.value.find((e) => keyOf(e.ref) === selectedKey.value) ?? null);

  function find(ref: ScenarioRef): ScenarioEntry | undefined {
    const key = keyOf(ref);
    return entries.value.find((e) => keyOf(e.ref) === key);
  }

  /** The same example in the other language, beside it (hello-world.py for hello-world.ts and back), if there is one. */
  function twinOf(entry: ScenarioEntry): ScenarioEntry | null {
    const stem = stemOf(entry.ref.path);
    const python = entry.language === 'python';
    return entries.value.find((e) => e.ref.location === entry.ref.location && stemOf(e.ref.path) === stem && (e.language === 'python') !== python) ?? null;
  }

  /** Reloads both lists from the host. */
  async function refresh(): Promise<void> {
    status.value = 'loading';
    const api = useApi();
    try {
      const [list, where] = await Promise.all([api.scenarios.list(), folders.value ? Promise.resolve(folders.value) : api.scenarios.folders()]);
      entries.value = list;
      folders.value = where;
      status.value = 'ready';
      problem.value = null;
      if (selectedKey.value && !list.some((e) => keyOf(e.ref) === selectedKey.value)) selectedKey.value = null;
    } catch (error) {
      status.value = 'error';
      problem.value = describeError(error);
    }
  }

  function select(ref: ScenarioRef | null): void {
    selectedKey.value = ref ? keyOf(ref) : null;
  }

  /** Puts a fresh entry from the host into the list (after a save changed its meta, say). */
  function upsert(entry: ScenarioEntry): void {
    const key = keyOf(entry.ref);
    const index = entries.value.findIndex((e) => keyOf(e.ref) === key);
    if (index >= 0) entries.value = entries.value.map((e, i) => (i === index ? entry : e));
    else entries.value = [...entries.value, entry].sort(compareEntries);
  }

  /** Creates a workspace scenario (from the template, or from `source`), selects it and opens it. */
  async function create(name: string, source?: string): Promise<ScenarioActionResult> {
    const checked = normalizeScenarioPath(name);
    if ('problem' in checked) return { ok: false, message: checked.problem };
    try {
      const ref: ScenarioRef = { location: 'workspace', path: checked.path };
      // An absent argument must stay absent: JSON would turn `undefined` into a null the host refuses.
      const entry = await (source === undefined ? useApi().scenarios.create(ref) : useApi().scenarios.create(ref, source));
      upsert(entry);
      select(entry.ref);
      void useEditorStore().open(entry.ref);
      return { ok: true, entry };
    } catch (error) {
      return { ok: false, message: describeError(error) };
    }
  }

  /** Renames a workspace scenario; an open editor tab follows it. */
  async function rename(ref: ScenarioRef, newName: string): Promise<ScenarioActionResult> {
    const checked = normalizeScenarioPath(newName);
    if ('problem' in checked) return { ok: false, message: checked.problem };
    if (checked.path === ref.path) return { ok: true, entry: find(ref) };
    try {
      const entry = await useApi().scenarios.rename(ref, checked.path);
      const oldKey = keyOf(ref);
      entries.value = [...entries.value.filter((e) => keyOf(e.ref) !== oldKey), entry].sort(compareEntries);
      if (selectedKey.value === oldKey) select(entry.ref);
      useEditorStore().renamed(ref, entry);
      return { ok: true, entry };
    } catch (error) {
      return { ok: false, message: describeError(error) };
    }
  }

  /** Deletes a workspace scenario after the user confirms; its editor tab closes. */
  async function remove(ref: ScenarioRef): Promise<ScenarioActionResult> {
    const editor = useEditorStore();
    const dirty = editor.isDirty(ref);
    const confirmed = await useDialogStore().confirm({
      title: 'Delete scenario',
      message: `Delete “${ref.path}” from your workspace?`,
      detail: dirty ? 'It has unsaved changes in the editor; they are lost too. This cannot be undone.' : 'This cannot be undone.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!confirmed) return { ok: false, message: 'cancelled' };
    try {
      await useApi().scenarios.delete(ref);
    } catch (error) {
      const message = describeError(error);
      useNotificationsStore().notify(`Could not delete ${ref.path}: ${message}`, 'error');
      return { ok: false, message };
    }
    const key = keyOf(ref);
    entries.value = entries.value.filter((e) => keyOf(e.ref) !== key);
    if (selectedKey.value === key) selectedKey.value = null;
    editor.forget(ref);
    return { ok: true };
  }

  /**
   * Copies a library example into the workspace under the same name (`-2`, `-3`… when taken) and
   * opens the copy: the way to change an example.
   */
  async function copyToWorkspace(ref: ScenarioRef): Promise<ScenarioActionResult> {
    const notifications = useNotificationsStore();
    const api = useApi();
    let source: string;
    try {
      source = (await api.scenarios.read(ref)).source;
    } catch (error) {
      const message = describeError(error);
      notifications.notify(`Could not read ${ref.path}: ${message}`, 'error');
      return { ok: false, message };
    }
    const taken = new Set(workspace.value.map((e) => e.ref.path));
    const dot = ref.path.lastIndexOf('.');
    const [stem, ending] = [ref.path.slice(0, dot), ref.path.slice(dot)];
    for (let n = 1; n < 100; n++) {
      const path = n === 1 ? ref.path : `${stem}-${n}${ending}`;
      if (taken.has(path)) continue;
      try {
        const entry = await api.scenarios.create({ location: 'workspace', path }, source);
        upsert(entry);
        select(entry.ref);
        void useEditorStore().open(entry.ref);
        notifications.notify(`Copied to your workspace as ${path}.`);
        return { ok: true, entry };
      } catch (error) {
        const message = describeError(error);
        // Someone else took the name since the list was read: try the next one.
        if (/already exists/.test(message)) continue;
        notifications.notify(`Could not copy ${fileName(ref.path)}: ${message}`, 'error');
        return { ok: false, message };
      }
    }
    return { ok: false, message: 'no free name for the copy' };
  }

  return { entries, folders, status, problem, selectedKey, library, workspace, selected, find, twinOf, refresh, select, upsert, create, rename, remove, copyToWorkspace };
});

/** A scenario's path without its extension. */
const stemOf = (path: string): string => path.replace(/\.[^./]+$/, '');

function compareEntries(a: ScenarioEntry, b: ScenarioEntry): number {
  if (a.ref.location !== b.ref.location) return a.ref.location === 'library' ? -1 : 1;
  return a.ref.path < b.ref.path ? -1 : a.ref.path > b.ref.path ? 1 : 0;
}
