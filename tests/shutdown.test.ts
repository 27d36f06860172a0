import { spawn } from 'node:child_process';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, says } from './helpers/channels';
import { rawRequest } from './helpers/rawHttp';

/**
 * SIGTERM to the bot process itself (spawned directly, as a container's init or `npm start` hands it on) while
 * clients keep connections alive and keep sending turns.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  startedAt: number;
  status?: number;
  retryAfter?: string;
  error?: string;
}

describe('SIGTERM under keep-alive load', () => {
  let channel: Server;
  let replies = 0;
  let arrived = 0;

  beforeAll(async () => {
    // a channel slow to accept the bot's reply, so one turn is surely in flight when the signal comes
    channel = createServer((req, res) => {
      arrived++;
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          replies++;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id":"reply"}');
        }, 1_500),
      );
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    channel.closeAllConnections();
    await new Promise((resolve) => channel.close(resolve));
  });

  it('stops taking turns at once (503 + Retry-After), finishes the turn in flight, exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        MicrosoftAppId: '',
        STORAGE_CONNECTION_STRING: '',
        STORAGE_CONTAINER: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.once('exit', (code) => resolve({ code, at: Date.now() })),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    try {
      const messagesUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          const listening = /"url":"(http:[^"]+\/api\/messages)"/.exec(output);
          if (listening) {
            clearTimeout(timer);
            resolve(listening[1]);
          }
        });
      });
      const turn = (activity: object, keepAlive = true) =>
        rawRequest(messagesUrl, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
          agent: keepAlive ? agent : false,
        });

      // the slow turn: its reply goes to the channel, which takes 1.5 s to accept it
      const slow = turn(
        {
          ...says(client('emulator', 'en-US'), 'I need technical support'),
          serviceUrl: `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`,
        },
        false,
      );

      // six clients on kept-alive connections, one turn after another
      const outcomes: Outcome[] = [];
      let stop = false;
      const worker = async () => {
        const c = client('emulator', 'en-US');
        while (!stop) {
          const outcome: Outcome = { startedAt: Date.now() };
          outcomes.push(outcome);
          try {
            const response = await turn({ ...says(c, 'Azure'), deliveryMode: 'expectReplies' });
            outcome.status = response.status;
            outcome.retryAfter = response.headers['retry-after'] as string | undefined;
          } catch (error) {
            outcome.error = (error as NodeJS.ErrnoException).code ?? String(error);
            // nobody listens any more: this client is done
            if (outcome.error === 'ECONNREFUSED') return;
            await sleep(50);
          }
        }
      };
      const workers = Array.from({ length: 6 }, worker);

      while (arrived === 0) await sleep(20);
      await sleep(200);
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      const exit = await Promise.race([exited, sleep(15_000).then(() => undefined)]);
      stop = true;
      await Promise.all(workers);

      expect(exit?.code, output.slice(-2000)).toBe(0);
      expect(output).toMatch(/"event":"shutdownComplete"/);
      expect(output).not.toMatch(/"event":"shutdownTimeout"/);
      // the turn in flight finished: its reply reached the channel and its request got 200
      expect((await slow).status).toBe(200);
      expect(replies).toBeGreaterThan(0);
      // every answer is a served turn or a 503 telling the client when to retry; nothing else
      const answered = outcomes.filter((outcome) => outcome.status !== undefined);
      expect(answered.length).toBeGreaterThan(0);
      for (const outcome of answered) {
        if (outcome.status === 200) continue;
        expect(outcome.status).toBe(503);
        expect(Number(outcome.retryAfter)).toBeGreaterThan(0);
      }
      // no new turn was taken once the signal had had a moment to arrive
      const late = answered.filter((outcome) => outcome.startedAt > signalledAt + 1_000);
      expect(late.filter((outcome) => outcome.status === 200)).toEqual([]);
    } finally {
      agent.destroy();
      child.kill('SIGKILL');
    }
  }, 60_000);
});
