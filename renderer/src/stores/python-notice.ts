import { defineStore } from 'pinia';
import { ref } from 'vue';
import { readSetting, writeSetting } from '../lib/settings';
import { useDialogStore, type DialogRequest } from './dialogs';

const SEEN_KEY = 'python.noticeSeen';

/** What the workbench says, once, before the first Python program runs. */
export const PYTHON_NOTICE: Pick<DialogRequest, 'title' | 'message' | 'detail'> = {
  title: 'Python programs run with your full rights',
  message:
    "A Python program runs in your own interpreter with everything your account may do: files, network, other programs. It is not sandboxed like a TypeScript scenario's worker, so run only programs you trust.",
  detail:
    'Recordings of a run may hold secrets the program sends or receives (passwords, tokens). Set Detail to "No payloads" in the run toolbar to leave the bytes out. The info button (i) beside it shows this notice again.',
};

/**
 * The one-time notice about Python programs: asked before the first Python run (remembered once
 * accepted, so it does not come back), and shown again on request.
 */
export const usePythonNoticeStore = defineStore('python-notice', () => {
  const seen = ref(readSetting(SEEN_KEY, (raw) => (raw === true ? true : undefined)) ?? false);

  /** Resolves true when the run may go: the notice was accepted now or before. */
  async function acknowledge(): Promise<boolean> {
    if (seen.value) return true;
    const answer = await useDialogStore().ask({
      ...PYTHON_NOTICE,
      actions: [
        { id: 'run', label: 'Run it', kind: 'primary' },
        { id: 'cancel', label: 'Cancel', kind: 'secondary' },
      ],
      cancelId: 'cancel',
    });
    if (answer !== 'run') return false;
    seen.value = true;
    writeSetting(SEEN_KEY, true);
    return true;
  }

  /** Shows the notice again (the info button beside the detail selector). */
  async function show(): Promise<void> {
    await useDialogStore().ask({ ...PYTHON_NOTICE, actions: [{ id: 'ok', label: 'OK', kind: 'primary' }], cancelId: 'ok' });
  }

  return { seen, acknowledge, show };
});
