import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { HandoffWebhook, type HandoffSummary } from '../src/handoff/webhook';
import { LogLines } from './helpers/chat';
import { supportDesk as receiver } from './helpers/supportDesk';

const summary: HandoffSummary = {
  conversationId: 'c1',
  lang: 'en',
  answers: [{ question: 'Product family', answer: 'Azure' }],
  routeId: 'azure/cloudSolutionProvider',
  lastMessages: ['my token is Bearer abc.def.ghi', 'CSP please'],
};

let servers: Server[] = [];
afterEach(() => {
  for (const server of servers) server.close();
  servers = [];
});

const hook = async (statuses: number[], log = pino({ level: 'silent' })) => {
  const desk = await receiver(statuses);
  servers.push(desk.server);
  return { desk, webhook: new HandoffWebhook({ url: desk.url, log, backoffMs: 10, attempts: 3 }) };
};

describe('hand-off to the support desk webhook', () => {
  it('posts one Adaptive Card with the case, without tokens or the webhook signature', async () => {
    const log = new LogLines();
    const { desk, webhook } = await hook([], log.logger);
    expect(await webhook.deliver('turn-1', summary)).toEqual({ delivered: true, attempts: 1 });
    expect(desk.received).toHaveLength(1);
    const payload = JSON.stringify(desk.received[0].body);
    expect(payload).toContain('application/vnd.microsoft.card.adaptive');
    expect(payload).toContain('azure/cloudSolutionProvider');
    expect(payload).toContain('CSP please');
    expect(payload).not.toMatch(/abc\.def\.ghi|SECRETSIG123/);
    expect(desk.received[0].key).toBe('turn-1');
    expect(JSON.stringify(log.lines)).not.toContain('SECRETSIG123');
  });

  it('never posts twice for the same turn, even when retried while the first is in flight', async () => {
    const { desk, webhook } = await hook([]);
    const [a, b] = await Promise.all([
      webhook.deliver('turn-1', summary),
      webhook.deliver('turn-1', summary),
    ]);
    await webhook.deliver('turn-1', summary);
    expect([a.delivered, b.delivered]).toEqual([true, true]);
    expect(desk.received).toHaveLength(1);
  });

  it('retries server errors with back-off until the desk takes it', async () => {
    const { desk, webhook } = await hook([500, 503]);
    expect(await webhook.deliver('turn-2', summary)).toEqual({ delivered: true, attempts: 3 });
    expect(desk.received).toHaveLength(3);
  });

  it('reports failure after the last attempt, and does not retry a refused payload', async () => {
    const down = await hook([500, 500, 500]);
    expect(await down.webhook.deliver('turn-3', summary)).toEqual({
      delivered: false,
      attempts: 3,
      reason: 'HTTP 500',
    });
    const refused = await hook([400]);
    expect(await refused.webhook.deliver('turn-4', summary)).toEqual({
      delivered: false,
      attempts: 1,
      reason: 'HTTP 400',
    });
    expect(refused.desk.received).toHaveLength(1);
  });

  it('by default tries three times, 1 s then 2 s apart, while the partner waits in the turn', async () => {
    const desk = await receiver([503, 503, 503, 503]);
    servers.push(desk.server);
    const webhook = new HandoffWebhook({ url: desk.url, log: pino({ level: 'silent' }) });
    const started = Date.now();
    expect(await webhook.deliver('turn-6', summary)).toEqual({
      delivered: false,
      attempts: 3,
      reason: 'HTTP 503',
    });
    expect(desk.received).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
  });

  it('retries when nobody listens at the address', async () => {
    const webhook = new HandoffWebhook({
      url: 'http://127.0.0.1:9/hook',
      log: pino({ level: 'silent' }),
      backoffMs: 5,
      attempts: 2,
    });
    expect(await webhook.deliver('turn-5', summary)).toMatchObject({ delivered: false, attempts: 2 });
  });
});
