import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useDialogStore } from '../stores/dialogs';
import ConfirmDialog from './ConfirmDialog.vue';

describe('ConfirmDialog', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('renders the question at the head of the queue and resolves with the button pressed', async () => {
    const wrapper = mount(ConfirmDialog);
    const dialogs = useDialogStore();
    const answer = dialogs.confirm({ title: 'Delete scenario', message: 'Delete “a.ts”?', confirmLabel: 'Delete', danger: true });
    await nextTick();
    expect(wrapper.get('[data-testid=confirm-dialog]').text()).toContain('Delete “a.ts”?');
    await wrapper.get('[data-testid=confirm-confirm]').trigger('click');
    expect(await answer).toBe(true);
    await nextTick();
    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false);
  });

  it('answers Escape with the cancel action', async () => {
    const wrapper = mount(ConfirmDialog);
    const answer = useDialogStore().confirm({ title: 'T', message: 'M', confirmLabel: 'OK' });
    await nextTick();
    await wrapper.get('[data-testid=confirm-dialog]').trigger('keydown', { key: 'Escape' });
    expect(await answer).toBe(false);
  });
});
