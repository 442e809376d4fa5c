/** Builds the app when forced, when there is no build, or when a source is newer than the build. */
export function buildIfNeeded(force?: boolean): void;
