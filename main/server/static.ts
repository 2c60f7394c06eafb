// Serves the built renderer (dist/renderer) to browsers: files only, never a directory
// listing, never a path outside the folder (`..`, encoded or not, a final symlink, a folder that
// leads out), and every check made on the opened file.
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isInside } from '../engine/path-guard';
import { openInsideRoot } from '../engine/safe-open';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

/**
 * Where the built renderer is: beside the bundle (dist/cli.js → dist/renderer), one level up
 * (dist/electron/main.js → dist/renderer), or from the sources (main/server → dist/renderer).
 */
export function defaultRendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'renderer'), join(here, '..', 'renderer'), join(here, '..', '..', 'dist', 'renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil — web UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>The Vigil web UI is not built</h1>
<p>The server is running, but there is no built renderer to serve. Run <code>npm run build</code>
in the Vigil folder and reload this page.</p>
<p>The event protocol at <code>/socket.io</code> and <code>/healthz</code> work without it.</p>
</body></html>
`;

/**
 * On every response: the UI's window shares its browsing-context group with no page of another
 * site (a LAN page that opens or is opened by ours cannot reach it), and it loads nothing from
 * elsewhere that did not agree to it. Served from localhost or https the page is then
 * cross-origin isolated, so its clocks (performance.now, requestAnimationFrame) tick in 5 µs,
 * not 0.1 ms. Everything the UI loads is its own, so nothing it needs is blocked.
 */
const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } as const;

function send(res: ServerResponse, status: number, type: string, body: string, head = false): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...ISOLATION_HEADERS });
  res.end(head ? undefined : body);
}

/** A URL path as a path relative to the renderer folder, or null for anything that could escape it. */
function relativePathFor(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.some((s) => s === '..')) return null;
  // Dot files (.env, .git) are never part of a build.
  if (segments.some((s) => s.startsWith('.'))) return null;
  return segments.join('/');
}

interface UiFile {
  size: number;
  /** The file's bytes; the stream closes the file when it ends or is destroyed. */
  read(): Readable;
  close(): Promise<void>;
}

/**
 * The packaged app's UI lies inside app.asar, a read-only archive shipped with Vigil that
 * Electron's fs reads by path (an open() there would unpack to a temporary file, and a symlink
 * flag means nothing inside an archive). No project can swap a file in it; the path is still
 * resolved and kept inside the folder, for a plain folder that only happens to be named so.
 */
const insideArchive = (dir: string): boolean => dir.split(sep).some((part) => part.endsWith('.asar'));

/** `rel` under the UI folder as a regular file, or null (missing, a folder, a pipe, a link, outside). */
async function openUiFile(realRoot: string, rel: string): Promise<UiFile | null> {
  if (insideArchive(realRoot)) {
    const path = await realpath(join(realRoot, rel)).catch(() => null);
    if (path === null || !isInside(realRoot, path)) return null;
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    return { size: info.size, read: () => createReadStream(path), close: async () => undefined };
  }
  // Checked on the opened file, not on the path before opening it (see safe-open.ts): a final
  // symlink, a pipe, or a folder swapped for a link out between a look and the open is refused.
  try {
    const { handle, stats } = await openInsideRoot(realRoot, rel);
    return { size: stats.size, read: () => handle.createReadStream(), close: () => handle.close() };
  } catch {
    return null;
  }
}

export function createStaticHandler(rendererDir: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let realRoot: string | null = null;

  return async (req, res) => {
    const head = req.method === 'HEAD';
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (realRoot === null) {
      realRoot = await realpath(rendererDir).catch(() => null);
    }
    if (realRoot === null || !existsSync(join(realRoot, 'index.html'))) {
      realRoot = null; // look again next time: a build may land while we run
      send(res, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE, head);
      return;
    }
    const rel = relativePathFor(pathname === '/' ? '/index.html' : pathname);
    const notFound = (): void => send(res, 404, 'text/plain; charset=utf-8', 'Not found\n', head);
    if (rel === null) return notFound();

    const file = await openUiFile(realRoot, rel);
    if (file === null) return notFound();
    const type = CONTENT_TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream';
    const isHtml = type.startsWith('text/html');
    const hashed = pathname.startsWith('/assets/');
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': file.size,
      // Vite names files under assets/ by content hash; everything else must be revalidated.
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...ISOLATION_HEADERS,
      ...(isHtml ? { 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' } : {}),
    });
    if (head) {
      await file.close();
      res.end();
      return;
    }
    const body = file.read();
    // A client that hangs up mid-download must not keep the descriptor open behind a paused stream.
    res.on('close', () => body.destroy());
    body.on('error', () => res.destroy()).pipe(res);
  };
}
