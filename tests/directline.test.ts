import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerDirectLine,
  TOKEN_PATH,
  type DirectLineChannel,
  type DirectLineLimits,
} from '../src/directline';
import { startEchoServer, type EchoServer } from './helpers/echoBot';
import { rawRequest } from './helpers/rawHttp';

interface Activity {
  id: string;
  type: string;
  text?: string;
  from: { id: string; role?: string };
  replyToId?: string;
  serviceUrl?: string;
  channelData?: { clientActivityID?: string };
  attachments?: { contentType: string; content: { id?: string } }[];
  suggestedActions?: { actions: { title: string }[] };
}

/** A Direct Line client speaking HTTP as Web Chat's polling DirectLineJS does. */
class Client {
  conversationId = '';
  token = '';
  watermark = '';
  readonly seen: Activity[] = [];

  constructor(readonly base: string) {}

  call(method: string, path: string, body?: unknown, token = this.token): Promise<Response> {
    return fetch(`${this.base}/v3/directline${path}`, {
      method,
      headers: {
        ...(token && { Authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async start(locale = 'en-US'): Promise<Response> {
    const issued = (await (await fetch(`${this.base}${TOKEN_PATH}`, { method: 'POST' })).json()) as {
      token: string;
    };
    const response = await this.call('POST', '/conversations', { locale }, issued.token);
    const body = (await response.clone().json()) as { conversationId: string; token: string };
    this.conversationId = body.conversationId;
    this.token = body.token;
    return response;
  }

  send(activity: Record<string, unknown>): Promise<Response> {
    return this.call('POST', `/conversations/${this.conversationId}/activities`, {
      from: { id: 'someone-else', name: 'Aiko', role: 'user' },
      locale: 'en-US',
      ...activity,
    });
  }

  async poll(): Promise<Activity[]> {
    const response = await this.call(
      'GET',
      `/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
    );
    expect(response.status).toBe(200);
    const group = (await response.json()) as { activities: Activity[]; watermark: string };
    this.watermark = group.watermark;
    this.seen.push(...group.activities);
    return group.activities;
  }

  /** Polls until an activity matches (the bot answers asynchronously, as with Azure's Direct Line). */
  async waitFor(match: (activity: Activity) => boolean): Promise<Activity> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const found = this.seen.find(match);
      if (found) return found;
      await this.poll();
      if (!this.seen.some(match)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no matching activity; saw ${JSON.stringify(this.seen.map((a) => a.text ?? a.type))}`);
  }
}

const fromBot = (activity: Activity) => activity.from.role !== 'user';

describe('local Direct Line with the web chat client', () => {
  let echo: EchoServer;
  let channel: DirectLineChannel;
  let now = Date.now();
  const limits = {
    maxActivitiesPerConversation: 6,
    maxClientBodyBytes: 8 * 1024,
    maxConversations: 30,
    turnTimeoutMs: 500,
    // every test client here comes from 127.0.0.1; the fairness limits have their own tests below
    issuanceBurst: 1_000,
    maxConversationsPerClient: 1_000,
    newVisitorShare: 0,
  } satisfies Partial<DirectLineLimits>;

  beforeAll(async () => {
    echo = await startEchoServer((server, adapter, bot) => {
      channel = registerDirectLine(server, { adapter, bot, limits, now: () => now });
    });
  });
  afterAll(() => echo.close());

  it('starts a conversation and shows the bot welcome (conversationUpdate with the user added)', async () => {
    const client = new Client(echo.url);
    const started = await client.start();
    expect(started.status).toBe(201);
    const body = (await started.json()) as { expires_in: number };
    expect(body.expires_in).toBeGreaterThan(60);
    const welcome = await client.waitFor(fromBot);
    expect(welcome.suggestedActions?.actions.map((a) => a.title)).toEqual(['Azure', 'On-premises']);
    expect(client.seen.some((activity) => activity.type === 'conversationUpdate')).toBe(false);
  });

  it('welcomes in the language the conversation was started with', async () => {
    const client = new Client(echo.url);
    await client.start('ja-JP');
    const welcome = await client.waitFor(fromBot);
    expect(welcome.suggestedActions?.actions.map((a) => a.title)).toEqual(['Azure', 'オンプレミス']);
  });

  it('echoes the user activity with an id and the client activity id, then the reply follows', async () => {
    const client = new Client(echo.url);
    await client.start();
    await client.waitFor(fromBot);
    const sent = await client.send({
      type: 'message',
      text: 'Azure',
      channelData: { clientActivityID: 'c-1' },
    });
    expect(sent.status).toBe(200);
    const { id } = (await sent.json()) as { id: string };
    expect(id).toMatch(new RegExp(`^${client.conversationId}\\|`));

    const echoed = await client.waitFor((activity) => activity.id === id);
    expect(echoed.channelData?.clientActivityID).toBe('c-1');
    expect(echoed.from.role).toBe('user');
    const reply = await client.waitFor((activity) => activity.replyToId === id);
    expect(reply.attachments?.[0].contentType).toBe('application/vnd.microsoft.card.hero');
    // the browser never learns where the bot posts its replies
    expect(client.seen.every((activity) => activity.serviceUrl === undefined)).toBe(true);
  });

  it('sets serviceUrl, channel and user itself, whatever the client claims', async () => {
    const client = new Client(echo.url);
    await client.start();
    await client.send({
      type: 'message',
      text: 'hello',
      serviceUrl: 'https://attacker.example/',
      channelId: 'msteams',
      conversation: { id: 'someone-elses-conversation' },
      recipient: { id: 'another-bot' },
    });
    const seenByBot = echo.bot.received.find(
      (activity) => activity.text === 'hello' && activity.conversation?.id === client.conversationId,
    );
    expect(seenByBot?.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/directline-connector\//);
    expect(seenByBot?.channelId).toBe('directline');
    expect(seenByBot?.from?.id).toMatch(/^dl_/);
    expect(seenByBot?.from?.id).not.toBe('someone-else');
    expect(seenByBot?.recipient?.id).toBe('partner-support-router');
  });

  it('refuses calls without the conversation token, or with another conversation token (401)', async () => {
    const alice = new Client(echo.url);
    const bob = new Client(echo.url);
    await alice.start();
    await bob.start();
    const path = `/conversations/${alice.conversationId}/activities`;
    expect((await alice.call('GET', path, undefined, '')).status).toBe(401);
    expect((await alice.call('GET', path, undefined, 'not-a-token')).status).toBe(401);
    expect((await alice.call('GET', path, undefined, bob.token)).status).toBe(401);
    expect((await alice.call('POST', path, { type: 'message', text: 'hi' }, bob.token)).status).toBe(401);
    expect((await alice.call('POST', '/tokens/refresh', undefined, 'not-a-token')).status).toBe(401);
    expect((await alice.call('POST', '/conversations', {}, 'not-a-token')).status).toBe(401);
  });

  it('refuses oversized, malformed and unknown activities with a 4xx, and the conversation still works', async () => {
    const client = new Client(echo.url);
    await client.start();
    expect((await client.send({ type: 'message', text: 'x'.repeat(20_000) })).status).toBe(413);
    expect((await client.send({ type: 'invoke', name: 'anything' })).status).toBe(400);
    const path = `/conversations/${client.conversationId}/activities`;
    expect((await client.call('POST', path, '{"type": "message",')).status).toBe(400);
    expect((await client.call('POST', path, '[1,2]')).status).toBe(400);
    const sent = await client.send({ type: 'message', text: 'still here' });
    expect(sent.status).toBe(200);
    await client.waitFor((activity) => activity.text === 'Echo: still here');
  });

  it('answers 502 when the turn fails, and 502 when it takes too long, instead of hanging', async () => {
    const client = new Client(echo.url);
    await client.start();
    expect((await client.send({ type: 'message', text: 'fail' })).status).toBe(502);
    expect((await client.send({ type: 'message', text: 'slow' })).status).toBe(502);
    const sent = await client.send({ type: 'message', text: 'after' });
    expect(sent.status).toBe(200);
    await client.waitFor((activity) => activity.text === 'Echo: after');
  });

  it('keeps only the newest activities of a conversation', async () => {
    const client = new Client(echo.url);
    await client.start();
    for (let i = 0; i < 6; i++)
      expect((await client.send({ type: 'message', text: `m${i}` })).status).toBe(200);
    const all = await client.poll();
    expect(all).toHaveLength(limits.maxActivitiesPerConversation);
    expect(all.at(-1)?.text).toBe('Echo: m5');
  });

  it('lets a card be updated in place: the same id arrives again', async () => {
    const client = new Client(echo.url);
    await client.start();
    await client.waitFor(fromBot);
    if (channel.mode !== 'local') throw new Error('expected the local Direct Line');
    const connector = `${channel.local.serviceUrl()}/v3/conversations/${client.conversationId}/activities`;
    const posted = await fetch(connector, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'v1' }),
    });
    const { id } = (await posted.json()) as { id: string };
    const updated = await fetch(`${connector}/${encodeURIComponent(id)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'v2' }),
    });
    expect(updated.status).toBe(200);
    await client.waitFor((activity) => activity.id === id && activity.text === 'v2');
    // the bot's state traces are for the Emulator, never for the browser
    const trace = await fetch(connector, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'trace', name: 'BotState', value: { secret: 'state' } }),
    });
    expect(trace.status).toBe(200);
    await client.call('POST', `/conversations/${client.conversationId}/activities`, {
      type: 'message',
      text: 'after trace',
    });
    await client.waitFor((activity) => activity.text === 'Echo: after trace');
    expect(client.seen.some((activity) => activity.type === 'trace')).toBe(false);
    // a deleted activity is gone for a client that reads the conversation from the start
    const removed = await fetch(`${connector}/${encodeURIComponent(id)}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    client.watermark = '';
    expect((await client.poll()).some((activity) => activity.id === id)).toBe(false);
    const unknown = await fetch(`${channel.local.serviceUrl()}/v3/conversations/nope/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'lost' }),
    });
    expect(unknown.status).toBe(404);
  });

  it('expires a conversation whose token is not refreshed, and keeps a refreshed one', async () => {
    const idle = new Client(echo.url);
    const active = new Client(echo.url);
    await idle.start();
    await active.start();
    // the open page polls; the idle one does not
    for (let minute = 0; minute < 20; minute += 5) {
      now += 5 * 60 * 1000;
      await active.poll();
    }
    const refreshed = await active.call('POST', '/tokens/refresh');
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { expires_in: number }).expires_in).toBe(30 * 60);
    for (let minute = 0; minute < 20; minute += 5) {
      now += 5 * 60 * 1000;
      await active.poll();
    }
    expect((await idle.call('GET', `/conversations/${idle.conversationId}/activities`)).status).toBe(401);
    expect((await active.call('GET', `/conversations/${active.conversationId}/activities`)).status).toBe(200);
  });

  it('refuses new conversations beyond the limit with 503', async () => {
    if (channel.mode !== 'local') throw new Error('expected the local Direct Line');
    const statuses: number[] = [];
    for (let i = channel.local.conversations.size; i <= limits.maxConversations; i++) {
      statuses.push((await fetch(`${echo.url}${TOKEN_PATH}`, { method: 'POST' })).status);
    }
    expect(statuses.at(-1)).toBe(503);
    expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);
  });
});

describe('local Direct Line shares its slots fairly between clients', () => {
  let echo: EchoServer;
  let now = Date.now();
  const limits = {
    maxConversations: 20,
    maxConversationsPerClient: 5,
    newVisitorShare: 0.25,
    issuanceBurst: 3,
    issuanceRefillMs: 10_000,
    maxSessionMs: 60 * 60 * 1000,
    idleMs: 10 * 60 * 1000,
    unstartedIdleMs: 2 * 60 * 1000,
  } satisfies Partial<DirectLineLimits>;

  beforeAll(async () => {
    echo = await startEchoServer((server, adapter, bot) => {
      registerDirectLine(server, { adapter, bot, limits, now: () => now });
    });
  });
  afterAll(() => echo.close());

  /** POST /api/directline/token from a given loopback address (a different "client" per address). */
  const token = (from: string) => rawRequest(`${echo.url}${TOKEN_PATH}`, { localAddress: from });
  const statusesOf = async (from: string, count: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await token(from)).status);
    return statuses;
  };
  const later = (ms: number) => (now += ms);
  /** Lets every client's issuance bucket refill. */
  const refill = () => later(limits.issuanceBurst * limits.issuanceRefillMs);

  it('answers 400, not 500, to a value nested 5,000 levels deep, and the conversation goes on', async () => {
    const user = new Client(echo.url);
    await user.start();
    refill();
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const response = await user.call(
      'POST',
      `/conversations/${user.conversationId}/activities`,
      `{"type":"message","text":"hi","value":${deep}}`,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BadArgument');
    expect((await user.send({ type: 'message', text: 'still there?' })).status).toBe(200);
  });

  it('limits how fast one client gets tokens: 429 with Retry-After after a burst', async () => {
    expect(await statusesOf('127.0.0.2', 5)).toEqual([200, 200, 200, 429, 429]);
    const refused = await token('127.0.0.2');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // another client is not slowed down by the first
    expect(await statusesOf('127.0.0.3', 1)).toEqual([200]);
  });

  it('caps the conversations one client holds, and frees tokens never used after a short while', async () => {
    refill();
    expect(await statusesOf('127.0.0.4', 3)).toEqual([200, 200, 200]);
    refill();
    expect(await statusesOf('127.0.0.4', 3)).toEqual([200, 200, 429]);
    refill();
    expect((await token('127.0.0.4')).status).toBe(429);
    // nobody started those conversations: after unstartedIdleMs their slots are free again
    later(limits.unstartedIdleMs);
    expect(await statusesOf('127.0.0.4', 3)).toEqual([200, 200, 200]);
  });

  it('keeps a share of the slots for new visitors when one client population fills the rest', async () => {
    // every earlier conversation has gone quiet: all 20 slots are free
    later(limits.idleMs);
    refill();
    // three clients with five each fill 15 of 20: the last quarter is for clients holding none
    for (const from of ['127.0.1.1', '127.0.1.2', '127.0.1.3']) {
      expect(await statusesOf(from, 3)).toEqual([200, 200, 200]);
    }
    refill();
    for (const from of ['127.0.1.1', '127.0.1.2', '127.0.1.3']) {
      expect(await statusesOf(from, 2)).toEqual([200, 200]);
    }
    refill();
    expect((await token('127.0.1.4')).status).toBe(200);
    expect((await token('127.0.1.4')).status).toBe(503);
    // the reserved quarter (five slots) goes to newcomers only, then nobody gets one
    for (const from of ['127.0.2.1', '127.0.2.2', '127.0.2.3', '127.0.2.4']) {
      expect((await token(from)).status).toBe(200);
    }
    const full = await token('127.0.2.5');
    expect(full.status).toBe(503);
    expect(full.headers['retry-after']).toBeDefined();
  });

  it('frees the slot of a page that stopped polling, and ends a session at its lifetime however often refreshed', async () => {
    later(limits.unstartedIdleMs);
    refill();
    const idle = new Client(echo.url);
    const busy = new Client(echo.url);
    await idle.start();
    await busy.start();
    await idle.poll();
    for (let minutes = 0; minutes < 50; minutes += 5) {
      later(5 * 60 * 1000);
      await busy.poll();
      expect((await busy.call('POST', '/tokens/refresh')).status).toBe(200);
    }
    expect((await idle.call('GET', `/conversations/${idle.conversationId}/activities`)).status).toBe(401);
    expect((await busy.call('GET', `/conversations/${busy.conversationId}/activities`)).status).toBe(200);
    // refreshing cannot carry it past maxSessionMs (an hour here)
    const refreshed = (await (await busy.call('POST', '/tokens/refresh')).json()) as { expires_in: number };
    expect(refreshed.expires_in).toBeLessThanOrEqual(10 * 60);
    later(11 * 60 * 1000);
    expect((await busy.call('GET', `/conversations/${busy.conversationId}/activities`)).status).toBe(401);
  });
});

describe('Direct Line token exchange with Azure (DIRECT_LINE_SECRET set)', () => {
  const secret = 'direct-line-secret-abc123';
  const calls: { url: string; init?: RequestInit }[] = [];
  let answer: () => Response;
  let echo: EchoServer;

  beforeAll(async () => {
    const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      return answer();
    }) as typeof fetch;
    echo = await startEchoServer((server, adapter, bot) => {
      registerDirectLine(server, { adapter, bot, secret, fetch: fakeFetch });
    });
  });
  afterAll(() => echo.close());

  it('exchanges the secret server-side and gives the page only a token and the Azure domain', async () => {
    answer = () => Response.json({ conversationId: 'abc-1', token: 'short-lived-token', expires_in: 3600 });
    const response = await fetch(`${echo.url}${TOKEN_PATH}`, { method: 'POST' });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toEqual({
      conversationId: 'abc-1',
      token: 'short-lived-token',
      expires_in: 3600,
      domain: 'https://directline.botframework.com/v3/directline',
    });
    const call = calls.at(-1)!;
    expect(call.url).toBe('https://directline.botframework.com/v3/directline/tokens/generate');
    expect(new Headers(call.init?.headers).get('authorization')).toBe(`Bearer ${secret}`);
    expect(JSON.parse(String(call.init?.body)).user.id).toMatch(/^dl_/);
  });

  it('answers 502 without the secret when Azure refuses', async () => {
    answer = () => new Response('{"error":{"code":"BadArgument"}}', { status: 403 });
    const response = await fetch(`${echo.url}${TOKEN_PATH}`, { method: 'POST' });
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain(secret);
  });

  it('does not serve the local Direct Line at all', async () => {
    const response = await fetch(`${echo.url}/v3/directline/conversations`, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});

describe('Direct Line for a bot with an app id but no Direct Line secret', () => {
  let echo: EchoServer;
  beforeAll(async () => {
    echo = await startEchoServer((server, adapter, bot) => {
      registerDirectLine(server, { adapter, bot, botAppId: '6a1b2c3d-1111-4222-8333-944455566677' });
    });
  });
  afterAll(() => echo.close());

  it('tells the page the chat is not configured, rather than failing every turn', async () => {
    const response = await fetch(`${echo.url}${TOKEN_PATH}`, { method: 'POST' });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /DIRECT_LINE_SECRET/,
    );
    expect((await fetch(`${echo.url}/v3/directline/conversations`, { method: 'POST' })).status).toBe(404);
  });
});
