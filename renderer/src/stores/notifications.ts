import { defineStore } from 'pinia';
import { ref } from 'vue';

/** A short message in the corner: the outcome of an action the user took. */
export interface Notice {
  id: number;
  tone: 'info' | 'error';
  message: string;
}

/** How long a notice stays, in milliseconds; errors stay longer, so they can be read. */
const LIFETIME = { info: 4000, error: 10000 } as const;

/** Transient notices (toasts). Errors are also shown where they happened; this is the echo. */
export const useNotificationsStore = defineStore('notifications', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
    clearTimeout(timers.get(id));
    timers.delete(id);
  }

  /** Shows a notice; the same message shown twice in a row is not stacked. */
  function notify(message: string, tone: Notice['tone'] = 'info'): number {
    const last = notices.value[notices.value.length - 1];
    if (last && last.message === message && last.tone === tone) dismiss(last.id);
    const id = nextId++;
    notices.value = [...notices.value.slice(-3), { id, tone, message }];
    timers.set(id, setTimeout(() => dismiss(id), LIFETIME[tone]));
    return id;
  }

  return { notices, notify, dismiss };
});
