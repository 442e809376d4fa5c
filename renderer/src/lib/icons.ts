/** The icons of the workbench: simple 16×16 line drawings in the text colour. */
export type IconName =
  | 'run'
  | 'stop'
  | 'pause'
  | 'resume'
  | 'step-callback'
  | 'step-iteration'
  | 'next-timer'
  | 'new-file'
  | 'refresh'
  | 'trash'
  | 'rename'
  | 'copy'
  | 'close'
  | 'chevron'
  | 'file'
  | 'lock'
  | 'book'
  | 'folder'
  | 'sun'
  | 'moon'
  | 'monitor'
  | 'keyboard'
  | 'warning'
  | 'error'
  | 'info'
  | 'clock'
  | 'search'
  | 'plug'
  | 'record'
  | 'pin'
  | 'download'
  | 'history'
  | 'skip-back'
  | 'skip-forward';


/** Each icon as SVG path data; `fill` paths are filled, the rest stroked. */
export const ICONS: Record<IconName, { stroke?: string[]; fill?: string[] }> = {
  run: { fill: ['M4.5 2.8v10.4a.5.5 0 0 0 .77.42l8.1-5.2a.5.5 0 0 0 0-.84l-8.1-5.2a.5.5 0 0 0-.77.42z'] },
  stop: { fill: ['M3.5 3.5h9v9h-9z'] },
  pause: { fill: ['M4 3h3v10H4zM9 3h3v10H9z'] },
  resume: { fill: ['M3 3h2v10H3z', 'M7 3.2v9.6a.5.5 0 0 0 .76.43l7-4.8a.5.5 0 0 0 0-.86l-7-4.8A.5.5 0 0 0 7 3.2z'] },
  'step-callback': { stroke: ['M2.5 8.5a5.5 5.5 0 0 1 10.4-2.3', 'M13.5 2.8v3.7H9.8'], fill: ['M6.5 11.5a1.5 1.5 0 1 0 3 0 1.5 1.5 0 1 0-3 0'] },
  'step-iteration': { stroke: ['M13 8a5 5 0 1 1-1.6-3.7', 'M13.2 1.8v3h-3'], fill: ['M6.2 8a1.8 1.8 0 1 0 3.6 0 1.8 1.8 0 1 0-3.6 0'] },
  'next-timer': { stroke: ['M8 14.5a5.5 5.5 0 1 0 0-11 5.5 5.5 0 1 0 0 11z', 'M8 6v3.2l2.2 1.3', 'M6.2 1.5h3.6'] },
  'new-file': { stroke: ['M9.5 1.5H4a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V5z', 'M9.5 1.5V5H13', 'M8 7.5v5M5.5 10h5'] },
  refresh: { stroke: ['M13.5 8a5.5 5.5 0 1 1-1.8-4.1', 'M12.2 1.5v2.9H9.3'] },
  trash: { stroke: ['M2.5 4h11', 'M6 4V2.5h4V4', 'M3.8 4l.8 9.6a1 1 0 0 0 1 .9h4.8a1 1 0 0 0 1-.9l.8-9.6', 'M6.6 6.5v5.5M9.4 6.5v5.5'] },
  rename: { stroke: ['M10.8 2.2l3 3-8 8H2.8v-3z', 'M9.2 3.8l3 3'] },
  copy: { stroke: ['M5.5 5.5h8v8h-8z', 'M10.5 5.5v-3h-8v8h3'] },
  close: { stroke: ['M4 4l8 8M12 4l-8 8'] },
  chevron: { stroke: ['M6 3.5L10.5 8 6 12.5'] },
  file: { stroke: ['M9.5 1.5H4a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V5z', 'M9.5 1.5V5H13'] },
  lock: { stroke: ['M3.5 7.5h9v6.5h-9z', 'M5.5 7.5V5a2.5 2.5 0 0 1 5 0v2.5'] },
  book: { stroke: ['M2.5 3A1.5 1.5 0 0 1 4 1.5h9.5v11H4a1.5 1.5 0 0 0-1.5 1.5z', 'M2.5 14A1.5 1.5 0 0 0 4 15.5h9.5v-3'] },
  folder: { stroke: ['M1.5 4a1 1 0 0 1 1-1h3.8l1.5 1.7h5.7a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z'] },
  sun: { stroke: ['M8 11a3 3 0 1 0 0-6 3 3 0 1 0 0 6z', 'M8 1v1.6M8 13.4V15M1 8h1.6M13.4 8H15M3 3l1.1 1.1M11.9 11.9L13 13M13 3l-1.1 1.1M4.1 11.9L3 13'] },
  moon: { stroke: ['M13.5 9.6A5.8 5.8 0 0 1 6.4 2.5a5.8 5.8 0 1 0 7.1 7.1z'] },
  monitor: { stroke: ['M1.5 2.5h13v8.5h-13z', 'M5.5 14h5M8 11v3'] },
  keyboard: { stroke: ['M1.5 4h13v8.5h-13z', 'M4 6.5h.5M6.5 6.5H7M9 6.5h.5M11.5 6.5h.5M4 9h.5M11.5 9h.5M6.5 10h3'] },
  warning: { stroke: ['M8 1.8l6.5 11.7h-13z', 'M8 6v3.6'], fill: ['M7.3 11.6a.7.7 0 1 0 1.4 0 .7.7 0 1 0-1.4 0'] },
  error: { stroke: ['M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 1 0 0 13z', 'M5.7 5.7l4.6 4.6M10.3 5.7l-4.6 4.6'] },
  info: { stroke: ['M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 1 0 0 13z', 'M8 7v4.5'], fill: ['M7.3 4.9a.7.7 0 1 0 1.4 0 .7.7 0 1 0-1.4 0'] },
  clock: { stroke: ['M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 1 0 0 13z', 'M8 4.5V8l2.5 1.5'] },
  search: { stroke: ['M7 11.5a4.5 4.5 0 1 0 0-9 4.5 4.5 0 1 0 0 9z', 'M10.3 10.3l3.7 3.7'] },
  plug: { stroke: ['M5.5 1.5v3M10.5 1.5v3', 'M3.5 4.5h9v2.5a4.5 4.5 0 0 1-9 0z', 'M8 11.5v3'] },
  record: { fill: ['M3.5 8a4.5 4.5 0 1 0 9 0 4.5 4.5 0 1 0-9 0'] },
  pin: { stroke: ['M6 1.5h4', 'M6.5 1.5v4.2L4 8.5h8L9.5 5.7V1.5', 'M8 8.5v6'] },
  download: { stroke: ['M8 2v8.5', 'M4.5 7L8 10.5 11.5 7', 'M2.5 13.5h11'] },
  history: { stroke: ['M2.5 8a5.5 5.5 0 1 0 1.6-3.9', 'M2.2 1.8v2.9h2.9', 'M8 5v3.2l2.2 1.4'] },
  'skip-back': { fill: ['M3 3h1.8v10H3z', 'M13 3.6v8.8a.5.5 0 0 1-.77.42L5.8 8.42a.5.5 0 0 1 0-.84l6.43-4.4a.5.5 0 0 1 .77.42z'] },
  'skip-forward': { fill: ['M11.2 3H13v10h-1.8z', 'M3 3.6v8.8a.5.5 0 0 0 .77.42l6.43-4.4a.5.5 0 0 0 0-.84L3.77 3.18A.5.5 0 0 0 3 3.6z'] },
};

