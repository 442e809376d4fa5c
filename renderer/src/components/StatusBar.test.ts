import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HostInfo, HostLogEntry, LoopwrightApi } from '../../../shared/ipc/contract';
import { IpcError } from '../../../shared/ipc/wire';
import { useHostStore } from '../stores/host';
import StatusBar from './StatusBar.vue';

const INFO: HostInfo = { appName: 'Loopwright', appVersion: '0.1.0', mode: 'electron', node: '22.12.0', electron: '45.5.0', chrome: '140.0.0.0', platform: 'darwin', arch: 'arm64' };

/** Installs a stand-in for the preload's API, as Electron would expose it (the status bar uses `host` only). */
function provideApi(info: () => Promise<HostInfo>): void {
  const host: LoopwrightApi['host'] = {
    info,
    onDidLog: (_listener: (entry: HostLogEntry) => void) => ({ dispose() {} }),
  };
  window.loopwright = { host } as unknown as LoopwrightApi;
}

describe('StatusBar', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows the mode and versions that host.info() returned', async () => {
    provideApi(async () => INFO);
    const wrapper = mount(StatusBar);
    await useHostStore().connect();
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid=status-mode]').text()).toBe('Electron');
    expect(wrapper.get('[data-testid=status-electron]').text()).toBe('Electron 45.5.0');
    expect(wrapper.get('[data-testid=status-node]').text()).toBe('Node 22.12.0');
    expect(wrapper.get('[data-testid=status-platform]').text()).toBe('darwin arm64');
    expect(wrapper.get('[data-testid=status-connection]').text()).toBe('Connected');
  });

  it('says so when the host cannot be reached', async () => {
    provideApi(() => Promise.reject(new IpcError('disconnected', 'the connection to the Loopwright host was lost')));
    const wrapper = mount(StatusBar);
    await useHostStore().connect();
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid=status-connection]').text()).toBe('Host error');
    expect(wrapper.get('[data-testid=status-connection]').attributes('title')).toBe('the connection to the Loopwright host was lost');
    expect(wrapper.find('[data-testid=status-node]').exists()).toBe(false);
  });
});
