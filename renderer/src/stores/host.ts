import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { HostInfo, HostLogEntry } from '../../../shared/ipc/contract';
import { onDisconnect, useApi } from '../api/client';

/** The host's identity and the health of the link to it. */
export const useHostStore = defineStore('host', () => {
  const info = ref<HostInfo | null>(null);
  const status = ref<'connecting' | 'ready' | 'disconnected' | 'error'>('connecting');
  const problem = ref<string | null>(null);
  const warnings = ref<HostLogEntry[]>([]);

  const modeLabel = computed(() => (info.value?.mode === 'electron' ? 'Electron' : info.value?.mode === 'browser' ? 'Browser mode' : '…'));

  async function connect(): Promise<void> {
    const api = useApi();
    onDisconnect((reason) => {
      status.value = 'disconnected';
      problem.value = reason;
    });
    api.host.onDidLog((entry) => {
      if (entry.level !== 'info') warnings.value = [...warnings.value.slice(-99), entry];
    });
    try {
      info.value = await api.host.info();
      status.value = 'ready';
    } catch (error) {
      status.value = status.value === 'disconnected' ? 'disconnected' : 'error';
      problem.value = error instanceof Error ? error.message : String(error);
    }
  }

  return { info, status, problem, warnings, modeLabel, connect };
});
