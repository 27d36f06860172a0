import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { MemoryStorage } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS } from '../bench/conversations';
import { startBot, type RunningBot } from '../src/index';
import { createLogger } from '../src/logger';
import { holdConversation } from './helpers/started';

interface Item {
  name: string;
  iKey: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: { name?: string; properties?: Record<string, string> } };
}

/** Stands in for the Application Insights ingestion service: keeps what the SDK posts to /v2.1/track. */
function fakeIngestion() {
  const items: Item[] = [];
  const raw: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString();
      raw.push(text);
      const received = text.trim().startsWith('[')
        ? (JSON.parse(text) as Item[])
        : text
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Item);
      items.push(...received);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: received.length, itemsAccepted: received.length, errors: [] }));
    });
  });
  return { server, items, raw };
}

const events = (items: Item[]) =>
  items.filter((item) => item.data.baseType === 'EventData').map((item) => item.data.baseData);

describe('telemetry (Application Insights)', () => {
  const ingestion = fakeIngestion();
  let bot: RunningBot;
  const userId = 'aad-user-4f1c9e';
  const opening = PATHS[0].script.opening.text!;

  beforeAll(async () => {
    await new Promise<void>((resolve) => ingestion.server.listen(0, '127.0.0.1', resolve));
    const { port } = ingestion.server.address() as AddressInfo;
    bot = await startBot({
      env: {
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=http://127.0.0.1:${port}/`,
      },
      storage: new MemoryStorage(),
      log: createLogger({ level: 'silent' }),
      port: 0,
      host: '127.0.0.1',
    });
  });

  afterAll(async () => {
    await bot?.close();
    await new Promise<void>((resolve) => (ingestion.server as Server).close(() => resolve()));
  });

  it('is off without a connection string', async () => {
    const plain = await startBot({
      env: {},
      storage: new MemoryStorage(),
      log: createLogger({ level: 'silent' }),
      port: 0,
    });
    expect(plain.telemetry).toBeUndefined();
    await plain.close();
  });

  it('sends activity and dialog events to the configured endpoint, without message text or user ids', async () => {
    await holdConversation(bot.messagesUrl, 'telemetry-1', userId);
    await bot.telemetry!.flush();
    for (let waited = 0; events(ingestion.items).length === 0 && waited < 50; waited++)
      await new Promise((resolve) => setTimeout(resolve, 100));

    const names = new Set(events(ingestion.items).map((event) => event.name));
    expect(names).toContain('BotMessageReceived');
    expect(names).toContain('BotMessageSend');
    expect(names).toContain('WaterfallStart');
    expect(ingestion.items.every((item) => item.iKey === '11111111-2222-3333-4444-555555555555')).toBe(true);

    const received = events(ingestion.items).find((event) => event.name === 'BotMessageReceived')!;
    expect(received.properties).toMatchObject({ conversationId: 'telemetry-1', locale: 'en-US' });
    expect(received.properties?.fromId).toMatch(/^h:/);
    const everything = ingestion.raw.join('\n');
    // what the partner typed, who they are, and the bot's own words stay on the machine
    expect(everything).not.toContain(opening);
    expect(everything).not.toContain(userId);
    expect(everything).not.toMatch(/"(text|fromName|attachments)":/);
  });
});
