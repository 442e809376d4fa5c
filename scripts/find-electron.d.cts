/** Where Electron's binary is, or why it is missing (one line, with how to get it). */
export function findElectron(): { path: string; missing?: undefined } | { path?: undefined; missing: string };
