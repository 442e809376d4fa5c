import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { installFakeHost } from '../testing/fake-api';
import { useEditorStore } from '../stores/editor';
import { useScenariosStore } from '../stores/scenarios';
import { useThemeStore } from '../stores/theme';

/** Just enough of Monaco for the view's bookkeeping: models, markers, options, theme. */
const fake = vi.hoisted(() => {
  class Model {
    listeners: (() => void)[] = [];
    disposed = false;
    constructor(
      public value: string,
      public language: string,
      public uri: { path: string; toString(): string },
    ) {}
    getValue() {
      return this.value;
    }
    setValue(v: string) {
      this.value = v;
      this.listeners.forEach((l) => l());
    }
    onDidChangeContent(l: () => void) {
      this.listeners.push(l);
      return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
    }
    getLanguageId() {
      return this.language;
    }
    getLineCount() {
      return this.value.split('\n').length;
    }
    getLineMaxColumn(line: number) {
      return this.value.split('\n')[line - 1].length + 1;
    }
    getWordAtPosition({ lineNumber, column }: { lineNumber: number; column: number }) {
      const text = this.value.split('\n')[lineNumber - 1];
      const match = [...text.matchAll(/\w+/g)].find((m) => m.index! + 1 <= column && column <= m.index! + m[0].length + 1);
      return match ? { word: match[0], startColumn: match.index! + 1, endColumn: match.index! + match[0].length + 1 } : null;
    }
    dispose() {
      this.disposed = true;
    }
  }
  const state = {
    models: [] as Model[],
    markers: new Map<Model, unknown[]>(),
    options: {} as Record<string, unknown>,
    theme: '',
    shown: null as Model | null,
    focused: 0,
  };
  const monaco = {
    Uri: { from: ({ path }: { path: string }) => ({ path, toString: () => `file://${path}` }) },
    MarkerSeverity: { Hint: 1, Info: 2, Warning: 4, Error: 8 },
    editor: {
      create: (_el: HTMLElement, options: Record<string, unknown>) => {
        Object.assign(state.options, options);
        state.theme = options.theme as string;
        return {
          onDidChangeCursorPosition: () => ({ dispose() {} }),
          getModel: () => state.shown,
          setModel: (m: Model | null) => (state.shown = m),
          saveViewState: () => null,
          restoreViewState: () => {},
          getPosition: () => ({ lineNumber: 1, column: 1 }),
          updateOptions: (o: Record<string, unknown>) => Object.assign(state.options, o),
          focus: () => state.focused++,
          dispose: () => {},
        };
      },
      createModel: (value: string, language: string, uri: { path: string; toString(): string }) => {
        const model = new Model(value, language, uri);
        state.models.push(model);
        return model;
      },
      getModel: (uri: { toString(): string }) => state.models.find((m) => !m.disposed && m.uri.toString() === uri.toString()) ?? null,
      setModelLanguage: (m: Model, language: string) => (m.language = language),
      setModelMarkers: (m: Model, _owner: string, markers: unknown[]) => state.markers.set(m, markers),
      setTheme: (name: string) => (state.theme = name),
    },
  };
  return { state, monaco };
});

vi.mock('../editor/monaco-setup', () => ({ monaco: fake.monaco }));

const { default: MonacoEditor } = await import('./MonacoEditor.vue');

describe('MonacoEditor (the view of the editor store)', () => {
  beforeEach(async () => {
    localStorage.clear();
    fake.state.models.length = 0;
    fake.state.markers.clear();
    fake.state.shown = null;
    setActivePinia(createPinia());
    installFakeHost({ 'library/hello.ts': "function hi() {\n  console.log('hi');\n}\n", 'workspace/mine.ts': 'one\n' });
    await useScenariosStore().refresh();
  });

  async function mounted() {
    const wrapper = mount(MonacoEditor, { attachTo: document.body });
    await flushPromises();
    return wrapper;
  }

  it('shows the active document in a model of its own, read-only for the library', async () => {
    const editor = useEditorStore();
    await mounted();
    await editor.open({ location: 'library', path: 'hello.ts' });
    await flushPromises();
    expect(fake.state.shown?.uri.path).toBe('/library/hello.ts');
    expect(fake.state.options.readOnly).toBe(true);
    await editor.open({ location: 'workspace', path: 'mine.ts' });
    await flushPromises();
    expect(fake.state.shown?.getValue()).toBe('one\n');
    expect(fake.state.options.readOnly).toBe(false);
  });

  it('reports typing to the store, which marks the tab dirty', async () => {
    const editor = useEditorStore();
    await mounted();
    await editor.open({ location: 'workspace', path: 'mine.ts' });
    await flushPromises();
    fake.state.shown!.setValue('one\ntwo\n');
    expect(editor.active?.text).toBe('one\ntwo\n');
    expect(editor.isDirty('workspace/mine.ts')).toBe(true);
  });

  it('shows setMarkers markers on the right line and word, also in read-only examples', async () => {
    const editor = useEditorStore();
    await mounted();
    await editor.open({ location: 'library', path: 'hello.ts' });
    await flushPromises();
    editor.setMarkers({ location: 'library', path: 'hello.ts' }, [{ line: 2, column: 3, message: 'TypeError: console.lg is not a function' }]);
    await nextTick();
    expect(fake.state.markers.get(fake.state.shown!)).toEqual([
      { startLineNumber: 2, startColumn: 3, endLineNumber: 2, endColumn: 10, message: 'TypeError: console.lg is not a function', severity: 8, source: 'Loopwright' },
    ]);
    expect(fake.state.options.renderValidationDecorations).toBe('on');
    // Out-of-range positions are clamped to the text, never dropped.
    editor.setMarkers({ location: 'library', path: 'hello.ts' }, [{ line: 99, column: 99, message: 'at the end', severity: 'warning' }]);
    await nextTick();
    expect(fake.state.markers.get(fake.state.shown!)).toEqual([expect.objectContaining({ startLineNumber: 4, startColumn: 1, severity: 4 })]);
    editor.clearMarkers();
    await nextTick();
    expect(fake.state.markers.get(fake.state.shown!)).toEqual([]);
  });

  it('applies markers set before the scenario was opened', async () => {
    const editor = useEditorStore();
    editor.setMarkers({ location: 'workspace', path: 'mine.ts' }, [{ line: 1, column: 1, message: 'early' }]);
    await mounted();
    await editor.open({ location: 'workspace', path: 'mine.ts' });
    await flushPromises();
    expect(fake.state.markers.get(fake.state.shown!)).toEqual([expect.objectContaining({ message: 'early', startLineNumber: 1 })]);
  });

  it('disposes the model of a closed tab and follows the theme', async () => {
    const editor = useEditorStore();
    await mounted();
    await editor.open({ location: 'workspace', path: 'mine.ts' });
    await flushPromises();
    const model = fake.state.shown!;
    await editor.close('workspace/mine.ts');
    await flushPromises();
    expect(model.disposed).toBe(true);
    expect(fake.state.shown).toBeNull();
    useThemeStore().setPreference('light');
    await nextTick();
    expect(fake.state.theme).toBe('loopwright-light');
  });
});
