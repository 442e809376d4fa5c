import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { giveElementsSize } from '../testing/element-size';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import { installFakeHost, installFakeRuns, type FakeRuns } from '../testing/fake-api';
import { useEditorStore } from '../stores/editor';
import { useRunStore } from '../stores/run';
import { useScenariosStore } from '../stores/scenarios';
import LoopInspector from './LoopInspector.vue';

const frame = () => new Promise((resolve) => setTimeout(resolve, 40));

const SNAPSHOT: LoopSnapshot = {
  time: 0,
  iteration: 2,
  clock: 'virtual',
  running: true,
  closed: false,
  ready: [
    { id: 4, callback: 'Task.step', args: 'Task-2' },
    { id: 6, callback: 'Task.step', args: 'Task-3' },
  ],
  readyCount: 2500,
  scheduled: [{ id: 24, when: 2, callback: 'setResultUnlessCancelled' }],
  scheduledCount: 1,
  tasks: [
    { id: 1, name: 'Task-1', state: 'pending', awaiting: 'sleep(2)', awaitingId: 23 },
    { id: 3, name: 'Task-2', state: 'pending', awaiting: null },
  ],
  taskCount: 2,
  transports: [{ id: 9, kind: 'tcp', state: 'open', peer: '127.0.0.1:5000', bytesIn: 2048, bytesOut: 12, writeBufferSize: 0, paused: { reading: true, writing: false } }],
};

describe('LoopInspector', () => {
  let runs: FakeRuns;
  let restoreSize: () => void;
  afterEach(() => restoreSize());
  beforeEach(async () => {
    restoreSize = giveElementsSize();
    setActivePinia(createPinia());
    const host = installFakeHost({ 'workspace/demo.ts': 'x\n' });
    runs = installFakeRuns(host);
    await useScenariosStore().refresh();
    await useEditorStore().open({ location: 'workspace', path: 'demo.ts' });
  });

  it('before a first snapshot, says whether one is coming or the run ended without a loop', async () => {
    const wrapper = mount(LoopInspector);
    const readyText = () => wrapper.get('[data-testid=inspector-ready]').text();
    await useRunStore().run();
    await frame();
    expect(readyText()).toContain('Waiting for the first snapshot');
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'failed' });
    await frame();
    expect(readyText()).toContain('No loop state: the run ended before its loop ran.');
    runs.nextStart = { ok: false, message: 'does not compile', diagnostics: [{ message: 'Expected ")" but found "}"' }] };
    await useRunStore().run();
    await frame();
    expect(readyText()).toContain('No loop: the run did not start.');
  });

  it('shows the ready queue in order with the next callback marked, timers, the await tree, futures and transports', async () => {
    const wrapper = mount(LoopInspector);
    await useRunStore().stepCallback();
    runs.emit('onDidEmitEvents', { runId: 'run-1', events: [{ type: 'future-created', time: 0, id: 23, name: 'sleep' }] });
    runs.emit('onDidChangeState', { runId: 'run-1', state: 'paused', reason: 'step', next: { id: 4, callback: 'Task.step' } });
    runs.emit('onDidSnapshot', { runId: 'run-1', snapshot: SNAPSHOT });
    await frame();

    expect(wrapper.get('[data-testid=inspector-banner]').text()).toContain('Paused before Task.step');
    const ready = wrapper.findAll('[data-testid=inspector-ready-row]');
    expect(ready.map((r) => r.attributes('data-id'))).toEqual(['4', '6']);
    expect(ready[0].attributes('data-next')).toBe('true');
    expect(wrapper.get('[data-testid=inspector-ready-count]').text()).toBe('2,500');
    expect(wrapper.get('[data-testid=inspector-ready]').text()).toContain('… and 2,498 more callbacks');
    expect(wrapper.get('[data-testid=inspector-timer-row]').text()).toContain('in 2.000 s');
    const tree = wrapper.findAll('[data-testid=inspector-tasks] .item.tree').map((r) => `${r.attributes('data-depth')} ${r.attributes('data-name')} ${r.attributes('data-state')}`);
    expect(tree).toEqual(['0 Task-1 pending', '1 sleep future', '0 Task-2 ready']);
    expect(wrapper.get('[data-testid=inspector-future-row]').text()).toContain('awaited by Task-1');
    const transport = wrapper.get('[data-testid=inspector-transport-row]').text();
    expect(transport).toContain('127.0.0.1:5000');
    expect(transport).toContain('↓ 2.0 KB');
    expect(transport).toContain('reading paused');
  });
});
