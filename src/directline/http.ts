import type { Request, Response } from 'restify';
import { MAX_JSON_DEPTH, nestingDepth } from '../http/activityShape';

/** An HTTP failure with the Direct Line error shape `{ error: { code, message } }`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Sent as Retry-After with 429 and 503: when the client may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export function sendError(res: Response, error: HttpError): void {
  if (error.retryAfterSeconds) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  // the body was not read (or not all of it): the connection cannot carry another request
  if (error.status === 413) res.setHeader('Connection', 'close');
  res.status(error.status);
  res.json({ error: { code: error.code, message: error.message } });
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The request's JSON object body, at most `maxBytes` long (413 beyond) and MAX_JSON_DEPTH deep (400 beyond).
 * Works whether or not the server already runs a body parser: a parsed body is reused, else the stream is read here.
 * An empty body reads as `{}`.
 */
export async function readJsonObject(req: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes)
    throw new HttpError(413, 'MessageSizeTooBig', `body larger than ${maxBytes} bytes`);

  let raw: string;
  const already: unknown = req.body;
  if (already !== undefined) {
    if (isObject(already)) {
      if (Buffer.byteLength(JSON.stringify(already)) > maxBytes) {
        throw new HttpError(413, 'MessageSizeTooBig', `body larger than ${maxBytes} bytes`);
      }
      return shallowEnough(already);
    }
    raw = Buffer.isBuffer(already) ? already.toString('utf8') : String(already);
    if (Buffer.byteLength(raw) > maxBytes)
      throw new HttpError(413, 'MessageSizeTooBig', `body larger than ${maxBytes} bytes`);
  } else {
    raw = await readStream(req, maxBytes);
  }
  if (raw.trim() === '') return {};
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpError(415, 'UnsupportedMediaType', 'send application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'BadArgument', 'body is not valid JSON');
  }
  if (!isObject(parsed)) throw new HttpError(400, 'BadArgument', 'body must be a JSON object');
  return shallowEnough(parsed);
}

/** Thousands of levels (a `value` nested 5,000 deep) would overflow the stack when the turn's state is saved. */
function shallowEnough(body: Record<string, unknown>): Record<string, unknown> {
  if (nestingDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new HttpError(400, 'BadArgument', `body nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return body;
}

function readStream(req: Request, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      received += chunk.length;
      if (received > maxBytes) {
        failed = true;
        reject(new HttpError(413, 'MessageSizeTooBig', `body larger than ${maxBytes} bytes`));
        // stop reading without destroying the socket, so the 413 can still be sent
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}
