// What both servers of the renderer's files send — the Electron windows (app://netwatch) and the
// dashboard (`netwatch serve`): the Content-Security-Policy (scripts and styles only from our own origin,
// nothing inline, no remote content, no framing) and the content type of each built file.
export const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** Content types of the files vite builds, by extension; anything else is served as octet-stream. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json',
  '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

export const contentTypeOf = (ext: string): string => CONTENT_TYPES[ext] ?? 'application/octet-stream';

/**
 * The built file a request path names, relative to the renderer folder ('index.html' for '/'); null when
 * it could leave the folder (`..` or `.` segments, also %2f-escaped), holds a NUL, or is not valid
 * percent-encoding. Both servers map paths through this one function.
 */
export function staticFile(pathname: string): string | null {
  let p: string;
  try { p = decodeURIComponent(pathname); } catch { return null; }
  if (p.includes('\0')) return null;
  const parts = p.split('/').filter(Boolean);
  if (parts.some((x) => x === '..' || x === '.')) return null;
  return parts.length ? parts.join('/') : 'index.html';
}
