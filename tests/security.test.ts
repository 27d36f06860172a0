import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { startBot, type RunningBot } from '../src/index';
import { getKnowledge } from '../src/knowledge/load';
import { createLogger, registerSecrets, scrubSecrets } from '../src/logger';
import { securityMessages } from '../src/messages/security';
import { listenHost } from '../src/http/listenHost';
import { securityOptionsFromEnv } from '../src/http/settings';
import { serviceUrlAllowed } from '../src/http/serviceUrl';
import { tenantOf } from '../src/http/tenantGate';
import { ConditionalMemoryStorage } from '../src/storage';
import { client, says } from './helpers/channels';
import { allText } from './helpers/replies';
import { BotFrameworkTokenService } from './helpers/tokens';

/** A logger whose lines are kept in memory. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination }), lines };
}

const silentLog = createLogger({ level: 'silent' });

describe('where the bot listens and whom it calls back', () => {
  it('listens on loopback only when requests are not authenticated; all interfaces with an app id', () => {
    expect(listenHost({}, undefined)).toBe('127.0.0.1');
    expect(listenHost({}, 'localhost')).toBe('localhost');
    expect(listenHost({ appId: 'app' }, undefined)).toBe('0.0.0.0');
    expect(listenHost({ appId: 'app' }, '10.0.0.4')).toBe('10.0.0.4');
  });

  it('refuses to start unauthenticated on a HOST other machines reach, unless explicitly allowed (then warns)', async () => {
    for (const HOST of ['0.0.0.0', '::', '10.0.0.4']) {
      await expect(startBot({ env: { HOST }, log: silentLog, port: 0 })).rejects.toThrow(
        /HOST=.*ALLOW_UNAUTHENTICATED_REMOTE=true/,
      );
    }
    const { log, lines } = capturedLogger();
    expect(listenHost({ allowUnauthenticatedRemote: true }, '0.0.0.0', log)).toBe('0.0.0.0');
    expect(lines.map((line) => JSON.parse(line) as { event?: string; level: number })).toContainEqual(
      expect.objectContaining({ event: 'unauthenticatedRemote', level: 40 }),
    );
    expect(() => securityOptionsFromEnv({ ALLOW_UNAUTHENTICATED_REMOTE: 'yes please' })).toThrow(
      /ALLOW_UNAUTHENTICATED_REMOTE/,
    );
  });

  it('trusts loopback serviceUrls, and other hosts only when configured and over https', () => {
    expect(serviceUrlAllowed('http://localhost:3978/')).toBe(true);
    expect(serviceUrlAllowed('http://127.0.0.1:5000')).toBe(true);
    expect(serviceUrlAllowed('http://[::1]:5000')).toBe(true);
    expect(serviceUrlAllowed('https://smba.trafficmanager.net/jp/')).toBe(false);
    expect(serviceUrlAllowed('https://smba.trafficmanager.net/jp/', ['botframework'])).toBe(true);
    expect(serviceUrlAllowed('https://webchat.botframework.com/', ['botframework'])).toBe(true);
    expect(serviceUrlAllowed('http://webchat.botframework.com/', ['botframework'])).toBe(false);
    expect(serviceUrlAllowed('https://botframework.com.attacker.example/', ['botframework'])).toBe(false);
    expect(serviceUrlAllowed('http://localhost.attacker.example/')).toBe(false);
    expect(serviceUrlAllowed('http://user:pw@127.0.0.1/')).toBe(false);
    expect(serviceUrlAllowed('file:///etc/passwd')).toBe(false);
    expect(serviceUrlAllowed(undefined)).toBe(false);
    expect(serviceUrlAllowed({ href: 'http://127.0.0.1' })).toBe(false);
  });

  it('reads the tenant from Teams channelData first, then from the conversation', () => {
    const base = { type: 'message', conversation: { id: 'c', tenantId: 'CONV-TENANT' } };
    expect(tenantOf({ ...base, channelData: { tenant: { id: 'Teams-Tenant' } } } as never)).toBe(
      'teams-tenant',
    );
    expect(tenantOf(base as never)).toBe('conv-tenant');
    expect(
      tenantOf({ type: 'message', conversation: { id: 'c' }, channelData: 'x' } as never),
    ).toBeUndefined();
  });
});

describe('secrets never reach the logs', () => {
  it('redacts credentials by field and scrubs configured secrets, tokens and account keys from any text', async () => {
    const { log, lines } = capturedLogger();
    registerSecrets('app-password-7f3a"quoted\\slash');
    log.info({ headers: { authorization: 'Bearer abc' }, MicrosoftAppPassword: 'plain-field' }, 'request');
    log.error(
      {
        err: new Error(
          'auth failed for app-password-7f3a"quoted\\slash with eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln ' +
            'on DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=Eby8vdM02xNOcqF==;',
        ),
      },
      'failed',
    );
    log.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = lines.join('\n');
    expect(lines).toHaveLength(2);
    for (const secret of [
      'app-password-7f3a',
      'plain-field',
      'Bearer abc',
      'eyJhbGciOiJSUzI1NiJ9',
      'Eby8vdM02xNOcqF',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[1]).err.message).toContain('[redacted]');
  });

  it('leaves ordinary log lines alone', () => {
    const line = '{"msg":"case finished","routeId":"azure/cloudSolutionProvider","lang":"ja","turns":4}';
    expect(scrubSecrets(line)).toBe(line);
  });
});

/** Posts a body to the bot; the status and, when JSON, the replies. */
async function post(
  bot: RunningBot,
  body: string | Partial<Activity>,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; replies: Partial<Activity>[] }> {
  const response = await fetch(bot.messagesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify({ deliveryMode: 'expectReplies', ...body }),
  });
  const text = await response.text();
  let replies: Partial<Activity>[] = [];
  try {
    replies = (JSON.parse(text) as { activities?: Partial<Activity>[] }).activities ?? [];
  } catch {
    // not JSON: a refusal
  }
  return { status: response.status, text, replies: replies.filter((reply) => reply.type === 'message') };
}

const knowledge = getKnowledge();
const familyPrompt = (lang: 'ja' | 'en') => knowledge.questions.family.prompt[lang];

describe('with MicrosoftAppId set, only Bot Framework tokens get in', () => {
  const appId = '0b5e7a4c-1d2e-4f60-8a9b-7c6d5e4f3a21';
  const password = 'app-password-Zq8~xV2.never-logged';
  const tokens = new BotFrameworkTokenService();
  const lines: string[] = [];
  const consoleLines: string[] = [];
  let bot: RunningBot;
  const teams = client('teamsPersonal', 'en-US');

  beforeAll(async () => {
    await tokens.start();
    const env = { MicrosoftAppId: appId, MicrosoftAppPassword: password, MicrosoftAppType: 'MultiTenant' };
    const config = loadConfig(env);
    // the real validation, with the OpenID keys served locally instead of by login.botframework.com
    const auth = { ...config.auth, ...tokens.authSettings() };
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    bot = await startBot({
      env,
      config: { ...config, auth },
      port: 0,
      host: '127.0.0.1',
      log: createLogger({ level: 'debug', destination }),
    });
    // CloudAdapter also writes to the console: those lines count as logs too
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map((arg) => (arg instanceof Error ? `${arg.stack}` : String(arg))).join(' '));
      });
    }
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await bot?.close();
    await tokens.close();
  });

  it('refuses a request without a token with 401', async () => {
    const { status, replies } = await post(bot, says(teams, 'Azure'));
    expect(status).toBe(401);
    expect(replies).toEqual([]);
  });

  it('refuses a forged token (signed with a key Microsoft never published) with 401', async () => {
    const forged = tokens.forgedToken(appId, teams.serviceUrl);
    const unknownKey = tokens.forgedToken(appId, teams.serviceUrl, 'attacker-key');
    for (const token of [forged, unknownKey, 'not-a-jwt']) {
      const { status } = await post(bot, says(teams, 'Azure'), { authorization: `Bearer ${token}` });
      expect(status).toBe(401);
    }
  });

  it('answers a rejected token with a plain 401 and logs it as one JSON line, nothing on stderr', async () => {
    const forged = tokens.forgedToken(appId, teams.serviceUrl);
    const otherBot = tokens.channelToken('9e0c1b2a-0000-4000-8000-000000000000', teams.serviceUrl);
    for (const token of [forged, otherBot, 'not-a-jwt', '']) {
      const logged = lines.length;
      const printed = consoleLines.length;
      const { status, text } = await post(bot, says(teams, 'Azure'), { authorization: `Bearer ${token}` });
      expect(status).toBe(401);
      expect(JSON.parse(text)).toEqual({ error: 'Unauthorized' });
      expect(consoleLines.slice(printed)).toEqual([]);
      const rejections = lines
        .slice(logged)
        .map((line) => JSON.parse(line) as { event?: string; reason?: string });
      expect(rejections.filter((line) => line.event === 'tokenRejected')).toHaveLength(1);
    }
  });

  it('refuses a genuine token for another bot, or for another serviceUrl, with 401', async () => {
    const otherBot = tokens.channelToken('9e0c1b2a-0000-4000-8000-000000000000', teams.serviceUrl);
    const otherUrl = tokens.channelToken(appId, 'https://attacker.example/');
    for (const token of [otherBot, otherUrl]) {
      const { status } = await post(bot, says(teams, 'Azure'), { authorization: `Bearer ${token}` });
      expect(status).toBe(401);
    }
  });

  it('lets a genuine Bot Connector token through to the conversation', async () => {
    const token = tokens.channelToken(appId, teams.serviceUrl);
    const { status, replies } = await post(bot, says(teams, 'I need technical support'), {
      authorization: `Bearer ${token}`,
    });
    expect(status).toBe(200);
    expect(allText(replies)).toContain(familyPrompt('en'));
  });

  it('never writes the app password or a bearer token to the logs', async () => {
    const forged = tokens.forgedToken(appId, teams.serviceUrl);
    const genuine = tokens.channelToken(appId, teams.serviceUrl);
    await post(bot, says(teams, 'Azure'), { authorization: `Bearer ${forged}` });
    await post(bot, says(teams, 'Azure'), { authorization: `Bearer ${genuine}` });
    bot.server.server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const everything = [...lines, ...consoleLines].join('\n');
    expect(lines.length + consoleLines.length).toBeGreaterThan(0);
    for (const secret of [password, forged, genuine, forged.split('.')[2], genuine.split('.')[2]]) {
      expect(everything).not.toContain(secret);
    }
  });
});

/** A bot as `npm start` builds it with these settings, its log lines and its store kept for the test. */
async function startLocalBot(env: Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const memory: Record<string, string> = {};
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  // no host option: the composition root picks the interface, as with no HOST set
  const bot = await startBot({
    env,
    config: loadConfig({ ...env, PORT: '0' }),
    storage: new ConditionalMemoryStorage(memory),
    log: createLogger({ level: 'info', destination }),
  });
  return { bot, lines, memory };
}

describe('without an app id', () => {
  let local: Awaited<ReturnType<typeof startLocalBot>>;

  beforeAll(async () => {
    local = await startLocalBot({ ALLOWED_SERVICE_HOSTS: 'botframework', MAX_BODY_BYTES: '65536' });
  });

  afterAll(async () => {
    await local?.bot.close();
  });

  it('listens on loopback only', () => {
    expect((local.bot.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('refuses a serviceUrl outside the allow-list with 403, so it never posts replies there', async () => {
    const message = { ...says(client('emulator', 'en-US'), 'Azure'), deliveryMode: 'normal' };
    for (const serviceUrl of [
      'http://169.254.169.254/latest/',
      'https://attacker.example/',
      'file:///etc/passwd',
    ]) {
      expect((await post(local.bot, { ...message, serviceUrl })).status).toBe(403);
    }
    expect(local.lines.filter((line) => line.event === 'serviceUrlRefused')).toHaveLength(3);
  });

  it('serves loopback and, as configured here, the Bot Framework hosts', async () => {
    for (const kind of ['emulator', 'webchat', 'teamsPersonal'] as const) {
      const { status, replies } = await post(
        local.bot,
        says(client(kind, 'en-US'), 'I need technical support'),
      );
      expect(status).toBe(200);
      expect(allText(replies)).toContain(familyPrompt('en'));
    }
  });

  it('refuses a body over the size limit with 413, whether its length is declared or chunked', async () => {
    const big = JSON.stringify({
      ...says(client('emulator'), 'x'.repeat(70_000)),
      deliveryMode: 'expectReplies',
    });
    expect((await post(local.bot, big)).status).toBe(413);
    const chunked = await fetch(local.bot.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('refuses anything but JSON with 415', async () => {
    const body = JSON.stringify({ ...says(client('emulator'), 'Azure'), deliveryMode: 'expectReplies' });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      expect((await post(local.bot, body, { 'content-type': type })).status).toBe(415);
    }
    expect((await post(local.bot, body, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(
      200,
    );
  });

  it('answers 400, not 500, to fields the SDK would trip over', async () => {
    const emulator = client('emulator');
    const broken: Partial<Activity>[] = [
      { ...says(emulator, 'hi'), id: 42 as unknown as string },
      { ...says(emulator, 'hi'), entities: [null as unknown as never] },
      {
        ...says(emulator, 'hi'),
        text: undefined,
        entities: [{ type: 'mention', mentioned: { id: 'b' }, text: '@b' }],
      },
      { ...says(emulator, 'hi'), type: 'invoke', name: 'adaptiveCard/action', value: {} },
      { ...says(emulator, 'hi'), value: JSON.parse(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`) },
    ];
    for (const activity of broken) expect((await post(local.bot, activity)).status).toBe(400);
  });
});

describe('with ALLOWED_TENANT_IDS', () => {
  const allowedTenant = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  let local: Awaited<ReturnType<typeof startLocalBot>>;

  beforeAll(async () => {
    local = await startLocalBot({ ALLOWED_TENANT_IDS: allowedTenant, ALLOWED_SERVICE_HOSTS: 'botframework' });
  });

  afterAll(async () => {
    await local?.bot.close();
  });

  it('answers another tenant (or none) politely, in its language, and routes nothing', async () => {
    const outsider = client('teamsPersonal', 'ja-JP');
    const { status, replies } = await post(local.bot, says(outsider, 'Azure の問題、CSP 直接です'));
    expect(status).toBe(200);
    expect(allText(replies)).toBe(securityMessages.tenantNotAllowed.ja);
    const anonymous = client('emulator', 'en-US');
    expect(allText((await post(local.bot, says(anonymous, 'Azure'))).replies)).toBe(
      securityMessages.tenantNotAllowed.en,
    );
    const stored = Object.keys(local.memory);
    expect(
      stored.some((key) => key.includes(outsider.conversation.id) || key.includes(anonymous.conversation.id)),
    ).toBe(false);
    expect(local.lines.filter((line) => line.event === 'tenantRefused')).toHaveLength(2);
  });

  it('serves the allowed tenant, from Teams channelData or from the conversation', async () => {
    const member = client('teamsPersonal', 'en-US');
    member.conversation.tenantId = allowedTenant;
    expect(allText((await post(local.bot, says(member, 'I need technical support'))).replies)).toContain(
      familyPrompt('en'),
    );
    const webchat = says(client('webchat', 'en-US'), 'I need technical support');
    webchat.conversation = { ...webchat.conversation!, tenantId: allowedTenant.toUpperCase() };
    expect(allText((await post(local.bot, webchat)).replies)).toContain(familyPrompt('en'));
  });
});
