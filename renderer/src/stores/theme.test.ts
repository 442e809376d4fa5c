import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { useThemeStore } from './theme';

/** A matchMedia whose answer the test controls. */
function fakeSystem(light: boolean) {
  const listeners = new Set<(event: { matches: boolean }) => void>();
  const media = {
    matches: light,
    addEventListener: (_: string, listener: (event: { matches: boolean }) => void) => listeners.add(listener),
  };
  vi.stubGlobal('matchMedia', () => media);
  return { change: (next: boolean) => listeners.forEach((l) => l({ matches: next })) };
}

describe('the theme store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('follows the system and its changes by default', async () => {
    const system = fakeSystem(true);
    const theme = useThemeStore();
    expect(theme.preference).toBe('system');
    expect(theme.resolved).toBe('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    system.change(false);
    await nextTick();
    expect(theme.resolved).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('lets the user fix a theme, and remembers it', async () => {
    fakeSystem(false);
    useThemeStore().setPreference('light');
    await nextTick();
    expect(document.documentElement.dataset.theme).toBe('light');
    setActivePinia(createPinia());
    const again = useThemeStore();
    expect(again.preference).toBe('light');
    expect(again.resolved).toBe('light');
  });

  it('ignores a corrupt saved value', () => {
    fakeSystem(false);
    localStorage.setItem('loopwright.theme', '"purple"');
    expect(useThemeStore().preference).toBe('system');
  });
});
