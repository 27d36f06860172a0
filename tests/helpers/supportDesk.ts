import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: Record<string, unknown>;
  key?: string;
}

export interface SupportDesk {
  /** The webhook address, with a signature in its query as Teams Workflows URLs have. */
  url: string;
  received: Received[];
  /** Statuses to answer the next posts with (then 200). */
  statuses: number[];
  server: Server;
  close(): Promise<void>;
}

/** A local support-desk webhook (as Teams Workflows would receive it) that answers each post with the next status. */
export async function supportDesk(statuses: number[] = []): Promise<SupportDesk> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({
        body: JSON.parse(text) as Record<string, unknown>,
        key: request.headers['idempotency-key'] as string,
      });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/workflows/abc?sig=SECRETSIG123`,
    received,
    statuses,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
