// The Content-Security-Policy of every page of ours, in the Electron windows (app://netwatch) and the
// dashboard (`netwatch serve`): scripts and styles only from our own origin, nothing inline, no remote
// content, no framing.
export const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');
