import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, deflateSync } from 'node:zlib';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryStorage, type Activity, type StoreItems } from 'botbuilder';
import { pino } from 'pino';
import { startBot, type RunningBot } from '../src/index';
import { registerHealthRoutes } from '../src/health';
import { loadConfig } from '../src/config';
import { getKnowledge } from '../src/knowledge/load';
import { say } from '../src/messages/conversation';
import { client, joins, says, type Client } from './helpers/channels';
import { allText, button } from './helpers/replies';
import { rawRequest } from './helpers/rawHttp';

/**
 * The real server over real HTTP: restify + CloudAdapter, no app id (as with the Emulator), every turn sent with
 * deliveryMode "expectReplies" so the replies come back in the response body.
 */

const knowledge = getKnowledge();
const silent = pino({ level: 'silent' });

/** A store that fails its next write on demand, to make a turn break the way a storage outage would. */
class FlakyStorage extends MemoryStorage {
  failNextWrite = false;
  override async write(changes: StoreItems): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('storage unavailable');
    }
    return super.write(changes);
  }
}

const storage = new FlakyStorage();
let bot: RunningBot;

beforeAll(async () => {
  // Teams and Web Chat call back from Bot Framework hosts; unauthenticated, the bot trusts only listed ones.
  const env = { ALLOWED_SERVICE_HOSTS: 'botframework' };
  bot = await startBot({ env, config: loadConfig(env), storage, log: silent, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await bot?.close();
});

async function post(body: string, contentType = 'application/json') {
  const response = await fetch(bot.messagesUrl, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, text };
}

/** One turn over HTTP; the replies the bot sent in it. */
async function turn(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
  const { status, text } = await post(JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }));
  expect(status, text).toBe(200);
  const body = JSON.parse(text) as { activities: Partial<Activity>[] };
  return body.activities.filter((reply) => reply.type === 'message');
}

const planName = (id: string, lang: 'ja' | 'en') =>
  knowledge.plans.find((plan) => plan.id === id)?.name[lang] ?? id;
const prompt = (question: keyof typeof knowledge.questions, lang: 'ja' | 'en') =>
  knowledge.questions[question].prompt[lang];
const label = (question: keyof typeof knowledge.questions, option: string, lang: 'ja' | 'en') =>
  knowledge.questions[question].options.find((entry) => entry.id === option)?.label[lang] ?? option;

/** After a refused request, the same conversation still gets to its card. */
async function stillWorks(c: Client) {
  const replies = await turn(says(c, 'Intune issue for my direct CSP customer'));
  expect(allText(replies)).toContain(planName('microsoft365NoContract', 'en'));
}

describe('HTTP: whole conversations with deliveryMode expectReplies', () => {
  test('the Emulator joins and gets the welcome with its first choices, in English', async () => {
    const replies = await turn(joins(client('emulator', 'en-US')));
    expect(allText(replies)).toContain(knowledge.meta.title.en);
    expect(button(replies, 'Support case')).toBeDefined();
  });

  test('Web Chat in Japanese joins and gets the welcome in Japanese', async () => {
    const replies = await turn(joins(client('webchat', 'ja-JP')));
    expect(allText(replies)).toContain(knowledge.meta.title.ja);
  });

  test('English: one sentence is enough for a Microsoft 365 case', async () => {
    const c = client('webchat', 'en-US');
    const replies = await turn(says(c, 'Intune issue for my direct CSP customer'));
    expect(allText(replies)).toContain(planName('microsoft365NoContract', 'en'));
  });

  test('Japanese: on-premises SQL Server, Silver → version → sign-in → pay per incident', async () => {
    const c = client('emulator', 'ja-JP');
    let replies = await turn(says(c, 'オンプレミスの SQL Server 2019、シルバーです'));
    expect(allText(replies)).toContain(prompt('version', 'ja'));
    replies = await turn(button(replies, label('version', 'older', 'ja')).press(c));
    expect(allText(replies)).toContain(prompt('signIn', 'ja'));
    replies = await turn(button(replies, label('signIn', 'msa', 'ja')).press(c));
    expect(allText(replies)).toContain(planName('payPerIncident', 'ja'));
  });

  test('Teams channel: card buttons arrive as values and reach the card', async () => {
    const c = client('teamsChannel', 'en-US');
    let replies = await turn(says(c, 'Azure, we are an advisor partner'));
    expect(allText(replies)).toContain(prompt('purchasedPlan', 'en'));
    replies = await turn(button(replies, label('purchasedPlan', 'asfp', 'en')).press(c));
    expect(allText(replies)).toContain(planName('advancedSupportForPartners', 'en'));
  });
});

describe('HTTP: bad requests get a clear 4xx and the next turn still works', () => {
  const c = client('webchat', 'en-US');

  test('malformed JSON → 400', async () => {
    const { status, text } = await post('{"type": "message", "text": ');
    expect(status).toBe(400);
    expect(text).toMatch(/JSON/i);
    await stillWorks(c);
  });

  test('empty body → 400', async () => {
    const { status, text } = await post('');
    expect(status).toBe(400);
    expect(text).toMatch(/activity/i);
    await stillWorks(c);
  });

  test('unknown activity type → 400 naming the type field', async () => {
    const { status, text } = await post(JSON.stringify({ ...says(c, 'hello'), type: 'carrierPigeon' }));
    expect(status).toBe(400);
    expect(text).toMatch(/type/);
    await stillWorks(c);
  });

  test('an activity without a conversation → 400', async () => {
    const { status } = await post(JSON.stringify({ ...says(c, 'hello'), conversation: undefined }));
    expect(status).toBe(400);
    await stillWorks(c);
  });

  test('an id longer than 512 characters (conversation, sender, recipient, channel, activity) → 400 naming it', async () => {
    const long = 'x'.repeat(100 * 1024);
    const base = says(c, 'hello');
    for (const [field, activity] of [
      ['conversation.id', { ...base, conversation: { ...base.conversation, id: long } }],
      ['from.id', { ...base, from: { ...base.from, id: long } }],
      ['recipient.id', { ...base, recipient: { ...base.recipient, id: long } }],
      ['channelId', { ...base, channelId: 'x'.repeat(513) }],
      ['replyToId', { ...base, replyToId: long }],
    ] as const) {
      const { status, text } = await post(JSON.stringify(activity));
      expect(status, field).toBe(400);
      expect(text).toContain(field);
    }
    await stillWorks(c);
  });

  test('a 1 MB text → 413', async () => {
    const { status } = await post(JSON.stringify(says(c, 'x'.repeat(1024 * 1024))));
    expect(status).toBe(413);
    await stillWorks(c);
  });

  test('a long pasted log within the size limit gets a polite reply', async () => {
    const replies = await turn(says(c, 'error '.repeat(20_000)));
    expect(allText(replies)).toContain(say('tooLong', 'en', { max: 5000 }).slice(0, 30));
    await stillWorks(c);
  });
});

describe('HTTP: a turn that fails', () => {
  test('is apologised for in the user language, and the conversation goes on', async () => {
    const c = client('emulator', 'ja-JP');
    let replies = await turn(says(c, 'Azure'));
    expect(allText(replies)).toContain(prompt('program', 'ja'));

    storage.failNextWrite = true;
    replies = await turn(button(replies, label('program', 'advisor', 'ja')).press(c));
    expect(allText(replies)).toContain(say('turnError', 'ja'));

    replies = await turn(says(c, 'Intune の問題、CSP の直接パートナーです'));
    expect(allText(replies)).toContain(planName('microsoft365NoContract', 'ja'));
  });
});

describe('HTTP: compressed request bodies are refused before they are read', () => {
  const c = client('webchat', 'en-US');
  const activity = () =>
    JSON.stringify({ ...says(c, 'Intune issue for my direct CSP customer'), deliveryMode: 'expectReplies' });

  test('gzip or deflate that is not valid compressed data → 415, and the bot keeps running', async () => {
    for (const encoding of ['gzip', 'deflate', 'x-gzip', 'br', 'GZIP', 'identity, gzip']) {
      const response = await rawRequest(bot.messagesUrl, {
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: 'this is not compressed at all',
      });
      expect(response.status, encoding).toBe(415);
      expect(response.headers['accept-encoding']).toBe('identity');
    }
    await stillWorks(c);
  });

  test('a valid compressed activity is refused too: channels never compress, and inflating costs memory', async () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync(activity())],
      ['deflate', deflateSync(activity())],
    ] as const) {
      const response = await rawRequest(bot.messagesUrl, {
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      });
      expect(response.status).toBe(415);
    }
    await stillWorks(c);
  });

  test('a gzip bomb (255 KB that would inflate to 256 MB) costs no memory and gets 415', async () => {
    // gzip members concatenate: 256 copies of one 1 MB member inflate to 256 MB
    const bomb = Buffer.concat(Array(256).fill(gzipSync(Buffer.alloc(1024 * 1024, ' '), { level: 9 })));
    expect(bomb.length).toBeLessThan(300 * 1024);
    const before = process.memoryUsage().rss;
    const responses = await Promise.all(
      Array.from({ length: 4 }, () =>
        rawRequest(bot.messagesUrl, {
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body: bomb,
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([415, 415, 415, 415]);
    // four bombs inflated would be 1 GB; refused, they leave the process about where it was
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    await stillWorks(c);
  });

  test('Content-Encoding: identity is no encoding: the activity is served', async () => {
    const response = await rawRequest(bot.messagesUrl, {
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: activity(),
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain(planName('microsoft365NoContract', 'en'));
  });
});

describe('HTTP: replies posted back to the channel', () => {
  test('reach a conversation whose id is not Latin-1 (Japanese, emoji)', async () => {
    const received: { url: string; header: string; text: string }[] = [];
    const channel = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const activity = JSON.parse(body) as Partial<Activity>;
        received.push({
          url: req.url ?? '',
          header: String(req.headers['x-ms-conversation-id']),
          text: activity.text ?? '',
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`;
    try {
      for (const id of ['会話-サポート-1', 'chat-😀', 'café-é']) {
        const before = received.length;
        const c = { ...client('emulator', 'en-US'), serviceUrl };
        c.conversation = { ...c.conversation, id };
        const { status } = await post(JSON.stringify({ ...says(c, 'I need technical support'), id: 'm1' }));
        expect(status, id).toBe(200);
        const replies = received.slice(before);
        expect(replies.length, id).toBeGreaterThan(0);
        expect(replies[0].url).toBe(`/v3/conversations/${encodeURIComponent(id)}/activities/m1`);
        expect(decodeURIComponent(replies[0].header)).toBe(id);
        expect(replies.map((reply) => reply.text).join('\n')).toContain(prompt('family', 'en'));
      }
    } finally {
      channel.close();
    }
  });
});

describe('HTTP: health endpoints for load balancers and orchestrators', () => {
  test('answer HEAD as well as GET: /healthz, /healthz/live, /healthz/ready', async () => {
    for (const path of ['/healthz', '/healthz/live', '/healthz/ready']) {
      for (const method of ['HEAD', 'GET']) {
        const response = await fetch(`${bot.url}${path}`, { method });
        expect(response.status, `${method} ${path}`).toBe(200);
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    }
  });

  test('a storage outage makes the instance not ready (503) but still alive (200)', async () => {
    let storageUp = true;
    let draining = false;
    const server = restify.createServer();
    registerHealthRoutes(server, {
      checkStorage: async () => {
        if (!storageUp) throw new Error('ECONNREFUSED 127.0.0.1:10000');
      },
      draining: () => draining,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const statuses = async () =>
      Promise.all(
        ['/healthz/live', '/healthz/ready', '/healthz'].map(
          async (path) => (await fetch(`${url}${path}`)).status,
        ),
      );
    try {
      expect(await statuses()).toEqual([200, 200, 200]);
      storageUp = false;
      expect(await statuses()).toEqual([200, 503, 503]);
      const ready = (await (await fetch(`${url}/healthz/ready`)).json()) as { storage: { error: string } };
      expect(ready.storage.error).toContain('ECONNREFUSED');
      storageUp = true;
      draining = true;
      expect(await statuses()).toEqual([200, 503, 503]);
    } finally {
      server.close();
    }
  });
});
