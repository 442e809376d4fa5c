import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { LAYOUT_LIMITS, useLayoutStore } from './layout';

describe('the layout store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('starts from the defaults', () => {
    const layout = useLayoutStore();
    expect(layout.sizes).toEqual({ explorer: LAYOUT_LIMITS.explorer.initial, inspector: LAYOUT_LIMITS.inspector.initial, panel: LAYOUT_LIMITS.panel.initial });
    expect(layout.panelTab).toBe('terminal');
  });

  it('clamps sizes and remembers them once a drag ends', () => {
    const layout = useLayoutStore();
    layout.resize('explorer', 10_000);
    expect(layout.sizes.explorer).toBe(LAYOUT_LIMITS.explorer.max);
    layout.resize('panel', 20);
    expect(layout.sizes.panel).toBe(LAYOUT_LIMITS.panel.min);
    layout.resize('inspector', 333.4, true);
    setActivePinia(createPinia());
    const again = useLayoutStore();
    expect(again.sizes.inspector).toBe(333);
    expect(again.sizes.explorer).toBe(LAYOUT_LIMITS.explorer.max);
  });

  it('resets a part to its default', () => {
    const layout = useLayoutStore();
    layout.resize('explorer', 400, true);
    layout.reset('explorer');
    expect(layout.sizes.explorer).toBe(LAYOUT_LIMITS.explorer.initial);
  });

  it('remembers the panel tab and collapsed groups, and survives corrupt settings', () => {
    const layout = useLayoutStore();
    layout.showPanelTab('timeline');
    layout.toggleGroup('library');
    setActivePinia(createPinia());
    expect(useLayoutStore().panelTab).toBe('timeline');
    expect(useLayoutStore().collapsed.library).toBe(true);

    localStorage.setItem('loopwright.layout.sizes', '{not json');
    localStorage.setItem('loopwright.layout.panelTab', '"nowhere"');
    setActivePinia(createPinia());
    expect(useLayoutStore().sizes.explorer).toBe(LAYOUT_LIMITS.explorer.initial);
    expect(useLayoutStore().panelTab).toBe('terminal');
  });
});
