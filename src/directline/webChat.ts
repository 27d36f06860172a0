import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { webChatStrings } from '../messages/channels';
import { TOKEN_PATH } from './paths';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web');

/**
 * Web Chat's browser bundle: the copy `npm run build` puts beside the build (Web Chat is a devDependency, not
 * installed in production), else from node_modules (its exports map hides dist/, so go through the main entry).
 */
export function webChatBundlePath(): string {
  const built = path.join(root, 'vendor', 'webchat.js');
  if (existsSync(built)) return built;
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('botframework-webchat')), '../dist/webchat.js');
}

export interface WebChatOptions {
  /** Azure's Direct Line URL when DIRECT_LINE_SECRET is set: the page may connect there too. */
  azureDomain?: string;
  /** WEBCHAT_FRAME_ANCESTORS: origins allowed to embed the page in an iframe (CSP syntax); any by default. */
  frameAncestors?: string;
  /** How often the page polls for the bot's replies. */
  pollingIntervalMs?: number;
}

interface Asset {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  etag: string;
  cache: string;
}

const etagOf = (body: Buffer) => `"${createHash('sha1').update(body).digest('base64url')}"`;

function asset(body: Buffer, type: string, cache: string, compress = false): Asset {
  return { body, type, cache, etag: etagOf(body), gzip: compress ? gzipSync(body) : undefined };
}

function send(req: Request, res: Response, file: Asset, headers: Record<string, string> = {}): void {
  res.setHeader('Content-Type', file.type);
  res.setHeader('Cache-Control', file.cache);
  res.setHeader('ETag', file.etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) {
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Vary', 'Accept-Encoding');
  }
  const body = gzip ? file.gzip! : file.body;
  res.setHeader('Content-Length', body.length);
  res.writeHead(200);
  res.end(body);
}

/**
 * The web chat page at GET / and /chat, with Web Chat served from node_modules (no CDN), in Japanese or English.
 * The page asks POST /api/directline/token (see registerDirectLine) and connects with createDirectLine.
 */
export function registerWebChat(server: Server, options: WebChatOptions = {}): void {
  const config = {
    strings: { ja: webChatStrings('ja'), en: webChatStrings('en') },
    tokenUrl: TOKEN_PATH.slice(1),
    botAvatarUrl: 'webchat/icon.png',
    pollingIntervalMs: options.pollingIntervalMs ?? 500,
  };
  // "<" escaped so no string can close the JSON script element
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const html = readFileSync(path.join(webDir, 'chat.html'), 'utf8').replace('__CHAT_CONFIG__', json);
  const page = asset(Buffer.from(html), 'text/html; charset=utf-8', 'no-cache');
  const connect = ["'self'", options.azureDomain ? new URL(options.azureDomain).origin : ''].join(' ').trim();
  const pageHeaders = {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      // Web Chat styles itself with inline <style> elements
      "style-src 'self' 'unsafe-inline'",
      // cards may show images from the web
      "img-src 'self' data: blob: https:",
      `connect-src ${connect}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      `frame-ancestors ${options.frameAncestors ?? '*'}`,
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
  };

  const files = new Map<string, () => Asset>();
  const once = (make: () => Asset) => {
    let made: Asset | undefined;
    return () => (made ??= make());
  };
  files.set(
    'chat.js',
    once(() =>
      asset(readFileSync(path.join(webDir, 'chat.js')), 'text/javascript; charset=utf-8', 'no-cache'),
    ),
  );
  files.set(
    'chat.css',
    once(() => asset(readFileSync(path.join(webDir, 'chat.css')), 'text/css; charset=utf-8', 'no-cache')),
  );
  // 3.9 MB: read and compressed once, on the first request, then cached by the browser for a day
  files.set(
    'webchat.js',
    once(() =>
      asset(
        readFileSync(webChatBundlePath()),
        'text/javascript; charset=utf-8',
        'public, max-age=86400',
        true,
      ),
    ),
  );
  const icon = path.join(root, 'teams', 'color.png');
  if (existsSync(icon))
    files.set(
      'icon.png',
      once(() => asset(readFileSync(icon), 'image/png', 'public, max-age=86400')),
    );

  const showPage = async (req: Request, res: Response) => send(req, res, page, pageHeaders);
  server.get('/', showPage);
  server.get('/chat', showPage);
  server.get('/webchat/:file', async (req: Request, res: Response) => {
    const file = files.get(String(req.params.file));
    if (!file) {
      res.status(404);
      res.json({ error: { code: 'NotFound', message: 'no such file' } });
      return;
    }
    send(req, res, file());
  });
}
