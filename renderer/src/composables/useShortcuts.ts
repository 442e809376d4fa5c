import { onBeforeUnmount, onMounted } from 'vue';
import { matchShortcut } from '../keybindings';
import { useDialogStore } from '../stores/dialogs';
import { useEditorStore } from '../stores/editor';
import { useLayoutStore } from '../stores/layout';
import { useNotificationsStore } from '../stores/notifications';
import { useRunStore } from '../stores/run';

/**
 * The workbench's keyboard shortcuts (renderer/src/keybindings.ts), on the window in the capture
 * phase so that they win over Monaco's own bindings. While a dialog is open it owns the keyboard.
 */
export function useShortcuts(): void {
  const dialogs = useDialogStore();
  const editor = useEditorStore();
  const layout = useLayoutStore();
  const notifications = useNotificationsStore();
  const run = useRunStore();

  function onKeydown(event: KeyboardEvent): void {
    if (dialogs.current || event.defaultPrevented) return;
    const shortcut = matchShortcut(event);
    if (!shortcut) return;
    event.preventDefault();
    event.stopPropagation();
    // Holding a step key steps repeatedly, as in a debugger; the others act once per press.
    if (event.repeat && !['stepCallback', 'stepIteration', 'runToNextTimer'].includes(shortcut.command)) return;
    switch (shortcut.command) {
      case 'help':
        layout.toggleHelp();
        return;
      case 'save':
        void editor.save();
        return;
      case 'recordings':
        if (layout.helpOpen) layout.toggleHelp(false);
        layout.showPanelTab('recordings');
        return;
      default:
        if (layout.helpOpen) layout.toggleHelp(false);
        {
          const command = shortcut.command;
          const wasEnabled = run.enabled[command];
          void run.execute(command).then((result) => {
            if (!result.ok) notifications.notify(result.message, wasEnabled ? 'error' : 'info');
          });
        }
    }
  }

  onMounted(() => window.addEventListener('keydown', onKeydown, true));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown, true));
}
