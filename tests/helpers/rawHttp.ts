import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method?: string;
  /** Header names and values as sent; an array value sends the header once per entry (duplicated headers). */
  headers?: Record<string, string | string[]>;
  /** Sent in these chunks (Transfer-Encoding: chunked unless a content-length header is given). */
  body?: Buffer | string | (Buffer | string)[];
  agent?: import('node:http').Agent | false;
  /** Source address, e.g. 127.0.0.2: on Linux all of 127.0.0.0/8 is loopback, so tests can be "other clients". */
  localAddress?: string;
  /** Gives up (rejecting with code ETIMEDOUT) when no full response arrived by then; default 15 s. */
  timeoutMs?: number;
}

/**
 * One request over node:http, headers exactly as given (fetch would add, merge or refuse some). A server that
 * closes the connection while the body is still being sent still yields its response if one arrived.
 */
export function rawRequest(url: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: options.headers,
      agent: options.agent ?? false,
      localAddress: options.localAddress,
    });
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error('no response in time'), { code: 'ETIMEDOUT' }));
    }, options.timeoutMs ?? 15_000);
    timer.unref();
    req.on('close', () => clearTimeout(timer));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    // the server may refuse before reading the body and close; the response (if any) is what counts
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') {
        reject(error);
        return;
      }
      setTimeout(() => reject(error), 2_000).unref();
    });
    const chunks =
      options.body === undefined ? [] : Array.isArray(options.body) ? options.body : [options.body];
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
