import type { editor } from 'monaco-editor/editor';

/** Monaco's themes, matched to the workbench's CSS variables (renderer/src/styles/theme.css). */
export const MONACO_THEMES: Record<'dark' | 'light', { name: string; data: editor.IStandaloneThemeData }> = {
  dark: {
    name: 'loopwright-dark',
    data: {
      base: 'vs-dark',
      inherit: true,
      rules: [],
      colors: {
        'editor.background': '#1f1f1f',
        'editor.lineHighlightBackground': '#ffffff0a',
        'editor.lineHighlightBorder': '#00000000',
        'editorLineNumber.foreground': '#6e7681',
        'editorLineNumber.activeForeground': '#cccccc',
        'editorGutter.background': '#1f1f1f',
        'editorWidget.background': '#202020',
        'editorWidget.border': '#313131',
        'editorIndentGuide.background1': '#404040',
        'editorStickyScroll.background': '#1f1f1f',
        'scrollbarSlider.background': '#79797966',
        focusBorder: '#0078d4',
      },
    },
  },
  light: {
    name: 'loopwright-light',
    data: {
      base: 'vs',
      inherit: true,
      rules: [],
      colors: {
        'editor.background': '#ffffff',
        'editor.lineHighlightBackground': '#0000000a',
        'editor.lineHighlightBorder': '#00000000',
        'editorLineNumber.foreground': '#6e7681',
        'editorLineNumber.activeForeground': '#171184',
        'editorGutter.background': '#ffffff',
        'editorWidget.background': '#f8f8f8',
        'editorWidget.border': '#e5e5e5',
        'editorStickyScroll.background': '#ffffff',
        focusBorder: '#005fb8',
      },
    },
  },
};
