import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { oneOf, readSetting, writeSetting } from '../lib/settings';

/** What the user chose: follow the system, or a fixed theme. */
export type ThemePreference = 'system' | 'dark' | 'light';
/** The theme in effect. */
export type ResolvedTheme = 'dark' | 'light';

export const THEME_PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

/**
 * Dark and light themes following the system, with a remembered switch. The resolved theme is put
 * on <html data-theme> at once, so the CSS variables, Monaco and every later panel follow it.
 */
export const useThemeStore = defineStore('theme', () => {
  const preference = ref<ThemePreference>(readSetting('theme', oneOf(THEME_PREFERENCES)) ?? 'system');
  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : undefined;
  const systemTheme = ref<ResolvedTheme>(media?.matches ? 'light' : 'dark');
  // The store lives as long as the page, so this listener does too.
  media?.addEventListener('change', (event) => (systemTheme.value = event.matches ? 'light' : 'dark'));

  const resolved = computed<ResolvedTheme>(() => (preference.value === 'system' ? systemTheme.value : preference.value));

  watch(
    resolved,
    (theme) => {
      if (typeof document === 'undefined') return;
      document.documentElement.dataset.theme = theme;
    },
    { immediate: true },
  );

  function setPreference(next: ThemePreference): void {
    preference.value = next;
    writeSetting('theme', next);
  }

  return { preference, systemTheme, resolved, setPreference };
});
