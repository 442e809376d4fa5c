import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { encodeBytes } from '../../../shared/engine/base64';
import { useApi } from '../api/client';
import { describeError } from '../api/errors';
import type { TerminalTab } from '../lib/traffic';
import type { TrafficView } from '../lib/traffic-format';
import { oneOf, readSetting, writeSetting } from '../lib/settings';
import { useNotificationsStore } from './notifications';
import { useRunStore } from './run';

/** What a terminal action answers. */
export type TerminalResult = { ok: true } | { ok: false; message: string };

/**
 * The terminal of the followed run: its tabs (one per transport, one per connection opened with
 * Connect), the selected tab, text or hex view, and what typing does: bytes to the run's transport
 * (`runs.write`; a subprocess's stdin) or to the host's connection (`runs.sendToConnection`).
 *
 * Traffic reaches the terminal as engine events through `RunSession.enqueueEvents` (a replay feeds
 * its session the same way): `transport-data` with its bytes, or `transport-traffic`, counted
 * without them (the host sends a window at most TRAFFIC_BYTES_PER_SECOND per run; a run without
 * payloads sends none), which the view announces as bytes not shown. Each tab's TrafficLog keeps the
 * newest 1 MB; TerminalView draws from it a budget at a time (lib/traffic-draw.ts).
 */
export const useTerminalStore = defineStore('terminal', () => {
  const run = useRunStore();
  const view = ref<TrafficView>(readSetting('terminal.view', oneOf(['text', 'hex'] as const)) ?? 'text');
  /** The selected tab per run (by the session's local id). */
  const selected = ref<Record<number, string>>({});
  /** The line being typed per tab (`localId:key`); kept here so switching panels loses nothing. */
  const drafts = new Map<string, string>();

  /** The followed run's tabs, as fresh objects when a tab or its counters change. */
  const tabs = computed<TerminalTab[]>(() => {
    const s = run.session;
    if (!s) return [];
    void s.revisions.tabs;
    void s.revisions.traffic;
    return s.traffic.tabs.map((t) => ({ ...t }));
  });

  const activeKey = computed<string | null>(() => {
    const s = run.session;
    if (!s) return null;
    const chosen = selected.value[s.localId];
    return chosen !== undefined && tabs.value.some((t) => t.key === chosen) ? chosen : (tabs.value[0]?.key ?? null);
  });
  const activeTab = computed(() => tabs.value.find((t) => t.key === activeKey.value) ?? null);

  /** Ports the followed run listens on, for Connect. */
  const listeningPorts = computed<number[]>(() => {
    const s = run.session;
    if (!s) return [];
    void s.revisions.tabs;
    return s.traffic.listeningPorts();
  });

  function select(key: string): void {
    const s = run.session;
    if (s) selected.value = { ...selected.value, [s.localId]: key };
  }

  function setView(next: TrafficView): void {
    view.value = next;
    writeSetting('terminal.view', next);
  }

  function draftKey(key: string): string {
    return `${run.session?.localId ?? 0}:${key}`;
  }

  function draft(key: string): string {
    return drafts.get(draftKey(key)) ?? '';
  }

  function setDraft(key: string, text: string): void {
    drafts.set(draftKey(key), text);
  }

  /** Sends text (UTF-8) to a tab's transport or connection. */
  async function send(key: string, text: string): Promise<TerminalResult> {
    const s = run.session;
    const tab = s?.traffic.tab(key);
    if (!s || !tab) return { ok: false, message: 'That terminal tab is gone.' };
    if (!tab.writable) return { ok: false, message: tab.readOnlyReason ?? 'This tab does not take input.' };
    const data = encodeBytes(new TextEncoder().encode(text));
    try {
      if (tab.source === 'host') await useApi().runs.sendToConnection(tab.connectionId!, data);
      else {
        if (!s.runId) return { ok: false, message: 'The run has not started yet.' };
        await useApi().runs.write(s.runId, tab.transportId!, data);
      }
      return { ok: true };
    } catch (error) {
      const message = `Could not send to ${tab.title}: ${describeError(error)}`;
      useNotificationsStore().notify(message, 'error');
      return { ok: false, message };
    }
  }

  /** Ends the input of a connection opened with Connect (netcat's end of file). */
  async function endInput(key: string): Promise<TerminalResult> {
    const s = run.session;
    const tab = s?.traffic.tab(key);
    if (!s || !tab || tab.source !== 'host' || !tab.writable) return { ok: false, message: 'Only an open connection from Connect can be ended.' };
    try {
      await useApi().runs.closeConnection(tab.connectionId!);
      s.traffic.inputClosed(key, Date.now());
      s.revisions.tabs++;
      s.revisions.traffic++;
      return { ok: true };
    } catch (error) {
      return { ok: false, message: describeError(error) };
    }
  }

  /** Opens a connection from the host to a port of the followed run (like netcat) and selects its tab. */
  async function connect(port: number): Promise<TerminalResult> {
    const s = run.session;
    if (!s?.runId || !(s.state === 'running' || s.state === 'paused')) return { ok: false, message: 'Start a run first: Connect opens a connection to one of its ports.' };
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, message: 'A port is a whole number from 1 to 65535.' };
    try {
      const { connectionId } = await useApi().runs.connect(s.runId, port);
      s.traffic.setPort(connectionId, port);
      s.revisions.tabs++;
      selected.value = { ...selected.value, [s.localId]: `c${connectionId}` };
      return { ok: true };
    } catch (error) {
      return { ok: false, message: `Could not connect to 127.0.0.1:${port}: ${describeError(error)}` };
    }
  }

  return { view, tabs, activeKey, activeTab, listeningPorts, select, setView, draft, setDraft, send, endInput, connect };
});
