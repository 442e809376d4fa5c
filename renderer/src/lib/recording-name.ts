/** A recording's name: its file name without the extension. */
export const recordingStem = (id: string): string => id.replace(/\.lwrec(\.partial)?$/, '');

/** Whether a name is the one the recorder gave (start time and scenario), which says nothing the columns do not. */
export const isDefaultRecordingName = (name: string): boolean => /^\d{4}-\d\d-\d\dT[\d-]+Z_/.test(name);
