import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

/** A button of a dialog. */
export interface DialogAction {
  id: string;
  label: string;
  kind?: 'primary' | 'danger' | 'secondary';
}

/** What a dialog asks. `cancelId` is the answer when the user presses Escape or clicks outside. */
export interface DialogRequest {
  title: string;
  message: string;
  detail?: string;
  actions: DialogAction[];
  cancelId: string;
}

interface PendingDialog extends DialogRequest {
  id: number;
  resolve(answer: string): void;
}

/**
 * Modal questions (confirm a delete, save before closing). Stores ask and await the answer; the
 * ConfirmDialog component renders the question at the head of the queue.
 */
export const useDialogStore = defineStore('dialogs', () => {
  const queue = ref<PendingDialog[]>([]);
  let nextId = 1;
  const current = computed(() => queue.value[0] ?? null);

  /** Shows a dialog and resolves with the id of the action chosen. */
  function ask(request: DialogRequest): Promise<string> {
    return new Promise((resolve) => {
      queue.value = [...queue.value, { ...request, id: nextId++, resolve }];
    });
  }

  /** Asks a yes/no question; resolves true when the user confirms. */
  async function confirm(options: { title: string; message: string; detail?: string; confirmLabel: string; danger?: boolean }): Promise<boolean> {
    const answer = await ask({
      title: options.title,
      message: options.message,
      detail: options.detail,
      actions: [
        { id: 'confirm', label: options.confirmLabel, kind: options.danger ? 'danger' : 'primary' },
        { id: 'cancel', label: 'Cancel', kind: 'secondary' },
      ],
      cancelId: 'cancel',
    });
    return answer === 'confirm';
  }

  /** Answers the current dialog. */
  function answer(actionId: string): void {
    const [head, ...rest] = queue.value;
    if (!head) return;
    queue.value = rest;
    head.resolve(actionId);
  }

  return { current, ask, confirm, answer };
});
