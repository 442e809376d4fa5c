import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RecordingDetails, ReplaySeek, ReplayView } from '../../../shared/recording/recordings';
import { useApi } from '../api/client';
import { describeError } from '../api/errors';
import { summarize } from '../lib/event-summary';
import { LatestOnly, maxPlayStride, nextPlayFrame, type PlaySpeed, type Playhead } from '../lib/replay-scrubber';
import { recordedScenario, sessionFromView } from '../lib/replay-session';
import { keyOf } from '../lib/scenario-ref';
import { useEditorStore } from './editor';
import { useLayoutStore } from './layout';
import { useNotificationsStore } from './notifications';
import { useRunStore } from './run';
import { useScenariosStore } from './scenarios';
import { useTerminalStore } from './terminal';

/** What a step moves by, as the scrubber's buttons and keys name it. */
export type ReplayStep = 'event' | 'callback' | 'iteration' | 'marker' | 'error';

/**
 * Replay mode: a recording opened from the history, shown through the workbench's own panels at
 * one line. The scrubber asks for lines as fast as the user drags; the host rebuilds one at a time
 * (the newest), and each answer becomes the session the panels show in place of the followed run.
 */
export const useReplayStore = defineStore('replay', () => {
  const id = ref<string | null>(null);
  const details = shallowRef<RecordingDetails | null>(null);
  /** The line the scrubber is at (asked for; the panels catch up when the host answers). */
  const position = ref(0);
  /** The state the panels show. */
  const view = shallowRef<ReplayView | null>(null);
  /** The recording being opened (indexing a long one takes a while). */
  const openingId = ref<string | null>(null);
  const opening = computed(() => openingId.value !== null);
  const problem = ref<string | null>(null);
  const playing = ref<PlaySpeed | null>(null);

  const active = computed(() => details.value !== null);
  /** The recorded scenario, when the explorer knows it (the editor shows it beside the replay). */
  const scenario = computed(() => {
    const d = details.value;
    if (!d) return null;
    const ref = recordedScenario(d.header.scenario.path);
    return useScenariosStore().find(ref) ? ref : null;
  });
  /** Whether the editor's text of the recorded scenario differs from the source that ran. */
  const sourceChanged = computed(() => {
    const ref = scenario.value;
    const doc = ref ? useEditorStore().documents.find((x) => x.key === keyOf(ref)) : undefined;
    return doc !== undefined && doc.state === 'ready' && doc.text !== details.value!.header.scenario.source;
  });
  /** Whether the recorded scenario is not in this workspace or library (a recording from elsewhere, a deleted file). */
  const sourceMissing = computed(() => details.value !== null && scenario.value === null);
  /** Whether the recorded source is shown (RecordedSourceDialog). */
  const sourceShown = ref(false);
  function showSource(shown: boolean): void {
    sourceShown.value = shown && details.value !== null;
  }
  const lines = computed(() => details.value?.counts.lines ?? 0);
  /** The shown line in words: what happened there. */
  const lineText = computed(() => {
    const line = view.value?.line;
    if (!line) return 'Before the first event';
    switch (line.kind) {
      case 'event':
        return summarize(line.event);
      case 'output':
        return `${line.stream}: ${line.text.replace(/\s+$/, '')}`;
      case 'error':
        return `${line.fatal ? 'Uncaught' : 'Reported'} ${line.name}: ${line.message}`;
      default:
        return `Run ${line.state}`;
    }
  });

  const loader = new LatestOnly<ReplayView>(
    (seq) => useApi().recordings.stateAt(id.value!, seq),
    (next) => show(next),
    (error) => {
      problem.value = describeError(error);
      pause();
    },
  );

  /** Puts a replayed line in the panels, keeping the terminal's selected tab. */
  function show(next: ReplayView): void {
    if (!details.value) return;
    const previous = view.value?.snapshot ?? null;
    view.value = next;
    problem.value = null;
    const terminal = useTerminalStore();
    const tab = terminal.activeKey;
    useRunStore().showReplay(sessionFromView(details.value, next, previous));
    if (tab !== null) terminal.select(tab);
  }

  /** Opens a recording from the history and enters replay mode at its last line. */
  async function open(recordingId: string): Promise<boolean> {
    pause();
    openingId.value = recordingId;
    try {
      const opened = await useApi().recordings.open(recordingId);
      loader.cancel();
      id.value = recordingId;
      details.value = opened;
      view.value = null;
      position.value = opened.counts.lines;
      for (const warning of opened.warnings) useNotificationsStore().notify(warning);
      const first = await useApi().recordings.stateAt(recordingId, position.value);
      show(first);
      if (scenario.value) void useEditorStore().open(scenario.value);
      const layout = useLayoutStore();
      if (layout.panelTab === 'recordings') layout.showPanelTab('terminal');
      return true;
    } catch (error) {
      useNotificationsStore().notify(`Could not open ${recordingId}: ${describeError(error)}`, 'error');
      return false;
    } finally {
      openingId.value = null;
    }
  }

  /** Leaves replay mode: the panels show the followed run again. */
  function close(): void {
    pause();
    sourceShown.value = false;
    loader.cancel();
    id.value = null;
    details.value = null;
    view.value = null;
    problem.value = null;
    position.value = 0;
    useRunStore().showReplay(null);
  }

  /** The open recording was renamed: its id is its file name. */
  function retarget(from: string, to: string): void {
    if (id.value === from) id.value = to;
  }

  /** Moves the scrubber to a line; the panels follow as soon as the host has rebuilt it. */
  function goTo(seq: number): void {
    if (!details.value) return;
    position.value = Math.max(0, Math.min(lines.value, Math.round(seq)));
    loader.request(position.value);
  }

  let stepping = false;
  /** One step from the scrubber's line. A step asked for while another is answered is dropped (a held key). */
  async function step(unit: ReplayStep, direction: 'forward' | 'back'): Promise<void> {
    if (!details.value || stepping) return;
    stepping = true;
    try {
      goTo(await useApi().recordings.seek(id.value!, { step: unit, direction, from: position.value }));
    } catch (error) {
      problem.value = describeError(error);
    } finally {
      stepping = false;
    }
  }

  let head: Playhead | null = null;
  let frame = 0;
  let lastFrame = 0;
  let seeking = false;

  /** Plays from the scrubber's line (from the start when at the end). */
  function play(speed: PlaySpeed): void {
    const d = details.value;
    if (!d) return;
    if (position.value >= lines.value) goTo(0);
    const axis = d.header.clock === 'virtual' ? 'time' : 'wall';
    const at = position.value === 0 ? (axis === 'time' ? d.loopTime.start : 0) : axis === 'time' ? (view.value?.snapshot.time ?? d.loopTime.start) : (view.value?.wall ?? 0);
    head = { speed, axis, at, ...(speed === 'max' ? { stride: maxPlayStride(lines.value) } : {}) };
    playing.value = speed;
    lastFrame = performance.now();
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(tick);
  }

  function pause(): void {
    playing.value = null;
    head = null;
    cancelAnimationFrame(frame);
  }

  function tick(now: number): void {
    const d = details.value;
    if (!head || !d) return;
    const elapsed = now - lastFrame;
    lastFrame = now;
    // One seek and one rebuilt line at a time: a slow answer skips frames, not lines of time.
    if (!seeking && !loader.busy) {
      const { seek, head: moved } = nextPlayFrame(head, elapsed, position.value);
      head = moved;
      void advance(seek, d);
    } else if (head.speed !== 'max') {
      head = nextPlayFrame(head, elapsed, position.value).head;
    }
    if (playing.value) frame = requestAnimationFrame(tick);
  }

  async function advance(seek: ReplaySeek, d: RecordingDetails): Promise<void> {
    seeking = true;
    try {
      const from = position.value;
      const line = await useApi().recordings.seek(id.value!, seek);
      if (details.value !== d || !playing.value) return;
      if (line !== from) goTo(line);
      const ended = line >= lines.value || (head !== null && (head.speed === 'max' ? line === from : head.axis === 'wall' ? head.at >= d.summary.durationMs : head.at >= d.loopTime.end));
      if (ended) {
        // Past the last event come the run's last lines (its end state): playing ends on the last line.
        goTo(lines.value);
        pause();
      }
    } catch (error) {
      problem.value = describeError(error);
      pause();
    } finally {
      seeking = false;
    }
  }

  return { id, details, position, view, openingId, opening, problem, playing, active, scenario, sourceChanged, sourceMissing, sourceShown, showSource, lines, lineText, open, close, retarget, goTo, step, play, pause };
});
