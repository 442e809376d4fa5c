import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { oneOf, readSetting, writeSetting } from '../lib/settings';

/** The resizable parts of the workbench, in CSS pixels. */
export type LayoutPart = 'explorer' | 'inspector' | 'panel';

/** Bounds and defaults of each part, VS Code-like: side bars of fixed width, the editor takes the rest. */
export const LAYOUT_LIMITS: Readonly<Record<LayoutPart, { min: number; max: number; initial: number }>> = {
  explorer: { min: 170, max: 560, initial: 280 },
  inspector: { min: 220, max: 640, initial: 320 },
  panel: { min: 100, max: 720, initial: 230 },
};

/** The tabs of the bottom panel. */
export type PanelTab = 'terminal' | 'output' | 'timeline' | 'recordings';
export const PANEL_TABS: readonly PanelTab[] = ['terminal', 'output', 'timeline', 'recordings'];

/** Groups of the scenario explorer. */
export type ExplorerGroup = 'library' | 'workspace';

const clamp = (part: LayoutPart, px: number) => Math.round(Math.min(LAYOUT_LIMITS[part].max, Math.max(LAYOUT_LIMITS[part].min, px)));

function readSizes(): Record<LayoutPart, number> {
  const saved = readSetting('layout.sizes', (raw) => (typeof raw === 'object' && raw !== null ? (raw as Partial<Record<LayoutPart, unknown>>) : undefined));
  const size = (part: LayoutPart) => {
    const value = saved?.[part];
    return typeof value === 'number' && Number.isFinite(value) ? clamp(part, value) : LAYOUT_LIMITS[part].initial;
  };
  return { explorer: size('explorer'), inspector: size('inspector'), panel: size('panel') };
}

/** Pane sizes, the bottom panel's tab, collapsed explorer groups and the help overlay: remembered where useful. */
export const useLayoutStore = defineStore('layout', () => {
  const sizes = reactive(readSizes());
  const panelTab = ref<PanelTab>(readSetting('layout.panelTab', oneOf(PANEL_TABS)) ?? 'terminal');
  const collapsed = reactive<Record<ExplorerGroup, boolean>>({
    library: readSetting('layout.collapsed.library', (raw) => (typeof raw === 'boolean' ? raw : undefined)) ?? false,
    workspace: readSetting('layout.collapsed.workspace', (raw) => (typeof raw === 'boolean' ? raw : undefined)) ?? false,
  });
  const helpOpen = ref(false);
  /** Bumped to ask the explorer to start naming a new scenario (from the welcome page, say). */
  const createRequest = ref(0);

  /** Sets a size while dragging (clamped); `persist` saves it, which the sash does when the drag ends. */
  function resize(part: LayoutPart, px: number, persist = false): void {
    sizes[part] = clamp(part, px);
    if (persist) save();
  }

  function reset(part: LayoutPart): void {
    sizes[part] = LAYOUT_LIMITS[part].initial;
    save();
  }

  function save(): void {
    writeSetting('layout.sizes', { ...sizes });
  }

  function showPanelTab(tab: PanelTab): void {
    panelTab.value = tab;
    writeSetting('layout.panelTab', tab);
  }

  function toggleGroup(group: ExplorerGroup, value = !collapsed[group]): void {
    collapsed[group] = value;
    writeSetting(`layout.collapsed.${group}`, value);
  }

  function requestCreate(): void {
    createRequest.value++;
  }

  function toggleHelp(value = !helpOpen.value): void {
    helpOpen.value = value;
  }

  return { sizes, panelTab, collapsed, helpOpen, createRequest, resize, reset, save, showPanelTab, toggleGroup, toggleHelp, requestCreate };
});
