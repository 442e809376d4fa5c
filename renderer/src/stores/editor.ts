import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ScenarioEntry, ScenarioRef } from '../../../shared/scenarios/scenario';
import { useApi } from '../api/client';
import { describeError } from '../api/errors';
import { fileName, keyOf } from '../lib/scenario-ref';
import { useDialogStore } from './dialogs';
import { useNotificationsStore } from './notifications';
import { useScenariosStore } from './scenarios';

/** A marker at a scenario's line, e.g. a run's error at the source-mapped position (1-based). */
export interface SourceMarker {
  line: number;
  column: number;
  message: string;
  severity?: 'error' | 'warning' | 'info';
  endLine?: number;
  endColumn?: number;
}

/** One open scenario: a tab of the editor. The buffer (`text`) lives here, so no view can lose it. */
export interface EditorDocument {
  key: string;
  ref: ScenarioRef;
  name: string;
  language: ScenarioEntry['language'];
  readOnly: boolean;
  /** The buffer: what the user sees and types into. */
  text: string;
  /** The text on disk as of the last read or successful save. */
  savedText: string;
  state: 'loading' | 'ready';
  saving: boolean;
  /** Why the last save failed; cleared by a successful one. */
  saveError: string | null;
  /** Why the scenario's `export const meta` could not be read, if it could not. */
  metaProblem: string | null;
  /** Bumped when `text` is replaced from outside the editor view (a load), so the view reloads it. */
  revision: number;
}

/** The outcome of a save. */
export type SaveResult = { ok: true } | { ok: false; message: string };

/** Where `READ_ONLY_NOTICE` sends the user. */
export const READ_ONLY_NOTICE = 'Library examples are read-only. Copy this one to your workspace to change it.';

/**
 * The editor's open scenarios (tabs), the active one, unsaved changes, saving, and markers.
 * Failed saves keep the buffer and its dirty state, so nothing typed is lost; closing a tab with
 * unsaved changes asks first.
 */
export const useEditorStore = defineStore('editor', () => {
  const documents = ref<EditorDocument[]>([]);
  const activeKey = ref<string | null>(null);
  const markers = ref<Record<string, SourceMarker[]>>({});
  /** The cursor of the active editor (1-based), for the status bar. */
  const cursor = ref<{ line: number; column: number } | null>(null);
  /** Bumped to ask the editor view to take the keyboard focus (after Enter in the explorer, a tab click). */
  const focusRequest = ref(0);
  /** A place the editor view should show and put the cursor at (a link in Output); `seq` makes each request new. */
  const revealRequest = ref<{ key: string; line: number; column: number; seq: number } | null>(null);
  const inFlight = new Map<EditorDocument, Promise<SaveResult>>();

  const active = computed(() => documents.value.find((d) => d.key === activeKey.value) ?? null);
  const dirtyCount = computed(() => documents.value.filter((d) => d.text !== d.savedText).length);

  const keyFor = (target: ScenarioRef | string) => (typeof target === 'string' ? target : keyOf(target));
  const get = (target: ScenarioRef | string) => documents.value.find((d) => d.key === keyFor(target));

  /** Whether a document has unsaved changes. */
  function isDirty(target: ScenarioRef | string): boolean {
    const doc = get(target);
    return doc !== undefined && doc.text !== doc.savedText;
  }

  function activate(key: string): void {
    if (get(key)) activeKey.value = key;
  }

  /** Activates the neighbour of a tab that goes away: the one after it, else the one before. */
  function drop(doc: EditorDocument): void {
    const index = documents.value.indexOf(doc);
    if (index < 0) return;
    documents.value = documents.value.filter((d) => d !== doc);
    if (activeKey.value === doc.key) {
      const next = documents.value[index] ?? documents.value[index - 1];
      activeKey.value = next?.key ?? null;
      if (!next) cursor.value = null;
    }
  }

  /** Opens a scenario in a tab (or activates its tab). Resolves false when it could not be read. */
  async function open(ref: ScenarioRef): Promise<boolean> {
    const key = keyOf(ref);
    if (get(key)) {
      activeKey.value = key;
      return true;
    }
    const entry = useScenariosStore().find(ref);
    documents.value = [
      ...documents.value,
      {
        key,
        ref,
        name: fileName(ref.path),
        language: entry?.language ?? 'typescript',
        readOnly: ref.location === 'library',
        text: '',
        savedText: '',
        state: 'loading',
        saving: false,
        saveError: null,
        metaProblem: null,
        revision: 0,
      },
    ];
    activeKey.value = key;
    try {
      const content = await useApi().scenarios.read(ref);
      const doc = get(key);
      if (!doc) return false; // closed while loading
      Object.assign(doc, {
        text: content.source,
        savedText: content.source,
        language: content.entry.language,
        readOnly: content.entry.readOnly,
        metaProblem: content.metaProblem ?? null,
        state: 'ready',
        revision: doc.revision + 1,
      });
      return true;
    } catch (error) {
      const doc = get(key);
      if (doc) drop(doc);
      useNotificationsStore().notify(`Could not open ${ref.path}: ${describeError(error)}`, 'error');
      return false;
    }
  }

  /** The editor view reports what the user typed. */
  function edit(key: string, text: string): void {
    const doc = get(key);
    if (doc && !doc.readOnly && doc.state === 'ready') doc.text = text;
  }

  /**
   * Saves a document (the active one by default) with `scenarios.write`. On failure the buffer
   * stays as typed and dirty, and the reason is kept on the document and shown.
   */
  async function save(target: ScenarioRef | string | null = activeKey.value): Promise<SaveResult> {
    const doc = target === null ? undefined : get(target);
    if (!doc) return { ok: false, message: 'No scenario is open.' };
    if (doc.state !== 'ready') return { ok: false, message: `${doc.name} is still loading.` };
    if (doc.readOnly) {
      useNotificationsStore().notify(READ_ONLY_NOTICE);
      return { ok: false, message: READ_ONLY_NOTICE };
    }
    const running = inFlight.get(doc);
    if (running) await running;
    if (doc.text === doc.savedText && doc.saveError === null) return { ok: true };
    const attempt = write(doc);
    inFlight.set(doc, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(doc);
    }
  }

  async function write(doc: EditorDocument): Promise<SaveResult> {
    const text = doc.text;
    doc.saving = true;
    try {
      const entry = await useApi().scenarios.write(doc.ref, text);
      // What was typed during the save stays dirty: only the text that was written is saved.
      doc.savedText = text;
      doc.saveError = null;
      useScenariosStore().upsert(entry);
      return { ok: true };
    } catch (error) {
      const message = describeError(error);
      doc.saveError = message;
      useNotificationsStore().notify(`Could not save ${doc.name}: ${message} Your changes are still in the editor.`, 'error');
      return { ok: false, message };
    } finally {
      doc.saving = false;
    }
  }

  /** Closes a tab; with unsaved changes, asks whether to save, discard or keep it open. */
  async function close(target: ScenarioRef | string): Promise<boolean> {
    const doc = get(target);
    if (!doc) return true;
    if (doc.text !== doc.savedText) {
      const answer = await useDialogStore().ask({
        title: 'Unsaved changes',
        message: `Save the changes to “${doc.name}” before closing?`,
        detail: 'Your changes are lost if you close without saving.',
        actions: [
          { id: 'save', label: 'Save', kind: 'primary' },
          { id: 'discard', label: 'Don’t save', kind: 'secondary' },
          { id: 'cancel', label: 'Cancel', kind: 'secondary' },
        ],
        cancelId: 'cancel',
      });
      if (answer === 'cancel') return false;
      if (answer === 'save' && !(await save(doc.key)).ok) return false;
    }
    drop(doc);
    const { [doc.key]: _gone, ...rest } = markers.value;
    markers.value = rest;
    return true;
  }

  /** A scenario was renamed: its tab follows, buffer, dirty state and markers included. */
  function renamed(oldRef: ScenarioRef, entry: ScenarioEntry): void {
    const doc = get(oldRef);
    const oldKey = keyOf(oldRef);
    const newKey = keyOf(entry.ref);
    if (doc) {
      Object.assign(doc, { key: newKey, ref: entry.ref, name: fileName(entry.ref.path), language: entry.language });
      if (activeKey.value === oldKey) activeKey.value = newKey;
    }
    if (markers.value[oldKey]) {
      const { [oldKey]: moved, ...rest } = markers.value;
      markers.value = { ...rest, [newKey]: moved };
    }
  }

  /** A scenario was deleted: its tab closes without asking (the user confirmed the delete). */
  function forget(ref: ScenarioRef): void {
    const doc = get(ref);
    if (doc) drop(doc);
    const { [keyOf(ref)]: _gone, ...rest } = markers.value;
    markers.value = rest;
  }

  /**
   * Shows markers on a scenario's lines (replacing earlier ones), e.g. a run's errors at their
   * source-mapped positions. Kept for a scenario that is not open, and shown when it opens.
   */
  function setMarkers(ref: ScenarioRef, list: readonly SourceMarker[]): void {
    markers.value = { ...markers.value, [keyOf(ref)]: list.map((m) => ({ ...m })) };
  }

  /** Removes the markers of one scenario, or of all. */
  function clearMarkers(ref?: ScenarioRef): void {
    if (!ref) markers.value = {};
    else {
      const { [keyOf(ref)]: _gone, ...rest } = markers.value;
      markers.value = rest;
    }
  }

  /** Opens a scenario (if it is not open) and shows a line of it with the cursor there. */
  async function reveal(ref: ScenarioRef, line: number, column = 1): Promise<boolean> {
    if (!(await open(ref))) return false;
    revealRequest.value = { key: keyOf(ref), line, column, seq: (revealRequest.value?.seq ?? 0) + 1 };
    return true;
  }

  function requestFocus(): void {
    focusRequest.value++;
  }

  function setCursor(position: { line: number; column: number } | null): void {
    cursor.value = position;
  }

  return { documents, activeKey, active, markers, cursor, focusRequest, revealRequest, dirtyCount, isDirty, activate, open, edit, save, close, renamed, forget, setMarkers, clearMarkers, setCursor, requestFocus, reveal };
});
