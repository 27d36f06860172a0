import type { Next, Request, Response } from 'restify';

/**
 * Bot Framework channels, Direct Line clients and the Emulator send plain JSON; none compresses a request body.
 * restify's body reader would inflate gzip with no limit on the output (255 KB became 262 MB) and no handler for
 * corrupt data (one bad body ended the process), so a declared encoding is refused here, before a byte of the
 * body is read: the size limits then count exactly the bytes that are parsed. `identity` means no encoding.
 */
export function refuseEncodedBodies(req: Request, res: Response, next: Next): void {
  const declared = req.headers['content-encoding'];
  if (declared === undefined) return next();
  const codings = String(declared)
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter(Boolean);
  if (codings.every((coding) => coding === 'identity')) {
    // restify's reader refuses any Content-Encoding it does not inflate, "identity" included
    delete req.headers['content-encoding'];
    return next();
  }
  // RFC 7694: tell the client which encodings a request may use
  res.setHeader('Accept-Encoding', 'identity');
  res.setHeader('Connection', 'close');
  res.send(415, { error: 'Content-Encoding is not supported: send the body uncompressed' });
  return next(false);
}
