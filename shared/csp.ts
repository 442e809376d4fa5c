/**
 * The renderer's Content-Security-Policy, the same in both modes: scripts only from the app itself,
 * no eval, connections only back to the host. Styles allow inline because Vue transitions, Monaco
 * and xterm.js set element styles at run time.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
