import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { giveElementsSize } from '../testing/element-size';
import { installFakeHost, installFakeRuns, settle, type FakeRuns } from '../testing/fake-api';
import { useEditorStore } from '../stores/editor';
import { useRunStore } from '../stores/run';
import { useScenariosStore } from '../stores/scenarios';
import OutputPanel from './OutputPanel.vue';

const frame = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('OutputPanel', () => {
  let runs: FakeRuns;
  let restoreSize: () => void;
  afterEach(() => restoreSize());
  beforeEach(async () => {
    restoreSize = giveElementsSize();
    setActivePinia(createPinia());
    runs = installFakeRuns(installFakeHost({ 'workspace/demo.ts': 'a\nb\nc\n' }));
    await useScenariosStore().refresh();
    await useEditorStore().open({ location: 'workspace', path: 'demo.ts' });
  });

  it('shows stdout and stderr apart, and an error whose link opens its line', async () => {
    const wrapper = mount(OutputPanel);
    await useRunStore().run();
    runs.emit('onDidOutput', { runId: 'run-1', chunks: [{ stream: 'stdout', text: 'out\n' }, { stream: 'stderr', text: 'err\n' }], dropped: 3 });
    runs.emit('onDidError', { runId: 'run-1', fatal: true, name: 'Error', message: 'boom', stack: 'Error: boom', location: { file: '/ws/demo.ts', line: 3, column: 2 } });
    await frame();
    const kinds = wrapper.findAll('[data-testid=output-line]').map((l) => `${l.attributes('data-kind')}:${l.text()}`);
    expect(kinds).toContain('stdout:out');
    expect(kinds).toContain('stderr:err');
    expect(kinds.some((k) => k.startsWith('warning:⚠ 3 output chunks were dropped'))).toBe(true);
    await wrapper.get('[data-testid=output-link]').trigger('click');
    await settle();
    expect(useEditorStore().revealRequest).toMatchObject({ key: 'workspace/demo.ts', line: 3, column: 2 });
  });
});
