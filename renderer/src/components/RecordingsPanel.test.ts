import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useDialogStore } from '../stores/dialogs';
import { useRecordingsStore } from '../stores/recordings';
import { installFakeRecordings, type FakeRecordings } from '../testing/fake-recordings';
import RecordingsPanel from './RecordingsPanel.vue';

describe('RecordingsPanel', () => {
  let host: FakeRecordings;
  beforeEach(async () => {
    setActivePinia(createPinia());
    host = installFakeRecordings();
    await useRecordingsStore().connect();
  });

  it('lists the history newest first with its figures, and the disk bound in MB', () => {
    const wrapper = mount(RecordingsPanel);
    const rows = wrapper.findAll('[data-testid=recording-row]');
    expect(rows.map((r) => r.attributes('data-id'))).toEqual(['b.lwrec', 'a.lwrec']);
    // Renamed (not the recorder's own name): the name, then the scenario.
    expect(rows[0].get('[data-testid=recording-name]').text()).toBe('b');
    expect(rows[0].get('[data-testid=recording-scenario]').text()).toBe('library/tcp-echo-protocol.ts');
    expect(rows[0].text()).toContain('2.0 KB');
    expect(rows[0].get('[data-testid=recording-status]').text()).toBe('complete');
    expect(wrapper.get('[data-testid=recordings-usage]').text()).toBe('4.0 KB in 2 recordings');
    expect((wrapper.get('[data-testid=recordings-bound-input]').element as HTMLInputElement).value).toBe('1024');
  });

  it('marks a finalised recording that the host found damaged, and says where in its title', async () => {
    host.files[1].problem = 'line 4 looks damaged: opening the recording says what is wrong';
    await useRecordingsStore().refresh();
    const wrapper = mount(RecordingsPanel);
    const status = wrapper.get('[data-testid=recording-row][data-id="a.lwrec"] [data-testid=recording-status]');
    expect(status.text()).toBe('damaged');
    expect(status.attributes('title')).toContain('line 4 looks damaged');
    expect(wrapper.get('[data-testid=recording-row][data-id="b.lwrec"] [data-testid=recording-status]').text()).toBe('complete');
  });

  it('works from the keyboard: arrows move, F2 renames inline, Delete asks, Enter opens', async () => {
    const wrapper = mount(RecordingsPanel, { attachTo: document.body });
    const first = wrapper.get('[data-testid=recording-row][data-id="b.lwrec"]');
    expect(first.attributes('tabindex')).toBe('0');
    await first.trigger('keydown', { key: 'ArrowDown' });
    const second = wrapper.get('[data-testid=recording-row][data-id="a.lwrec"]');
    expect(second.attributes('aria-selected')).toBe('true');
    expect(second.attributes('tabindex')).toBe('0');

    await second.trigger('keydown', { key: 'F2' });
    const input = wrapper.get('input[aria-label="New name of the recording"]');
    await input.setValue('echo before the fix');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(host.calls).toEqual(['rename a.lwrec echo before the fix']);
    const renamed = wrapper.get('[data-testid=recording-row][data-id="echo before the fix.lwrec"]');

    await renamed.trigger('keydown', { key: 'Delete' });
    await flushPromises();
    expect(useDialogStore().current?.message).toContain('library/tcp-echo-protocol.ts');
    useDialogStore().answer('cancel');
    await flushPromises();
    expect(host.calls).toHaveLength(1);

    await renamed.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(host.calls.at(-1)).toBe('open echo before the fix.lwrec');
    wrapper.unmount();
  });

  it('exports from the row and offers the file for download', async () => {
    const wrapper = mount(RecordingsPanel);
    await wrapper.get('[data-testid=recording-row][data-id="a.lwrec"] [data-testid=recording-export]').setValue('pcapng');
    await flushPromises();
    const line = wrapper.get('[data-testid=recordings-last-export]');
    expect(line.text()).toContain('a.pcapng');
    expect(line.text()).toContain('/home/me/Loopwright/recordings/exports/a.pcapng');
    expect(wrapper.get('[data-testid=recordings-download]').attributes('href')).toBe('/exports/a.pcapng');
    // The menu goes back to its prompt, ready for another export.
    expect((wrapper.get('[data-testid=recording-row][data-id="a.lwrec"] [data-testid=recording-export]').element as HTMLSelectElement).value).toBe('');
  });
});
