import { Agent } from 'node:http';
import { Writable } from 'node:stream';
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { route } from '../src/engine/route';
import { getKnowledge } from '../src/knowledge/load';
import { QuestionId } from '../src/knowledge/schema';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startBot, type RunningBot } from '../src/index';
import { FakeChannel } from './helpers/azuriteCluster';
import { rawRequest } from './helpers/rawHttp';

/**
 * Property-based abuse of the real HTTP server: at least 10,000 generated activities, most of them plausible
 * enough to get deep into the dialogs (real conversation ids, real answers, real card submits) and then bent:
 * wrong types, missing fields, huge and odd Unicode, deeply nested or tampered values, unknown activity types,
 * invalid locales, raw bodies that are not JSON. No 5xx, no crash, no unhandled rejection; a normal conversation
 * afterwards still reaches its card.
 */

const BATCH = 25;
const BATCHES = 400;

const knowledge = getKnowledge();
const labels = Object.values(knowledge.questions).flatMap((question) =>
  question.options.flatMap((option) => [option.label.ja, option.label.en]),
);
const phrases = [
  'help',
  'ヘルプ',
  'back',
  '戻る',
  'start over',
  '最初から',
  'cancel',
  'English please',
  '日本語で',
  'Azure の問題、CSP 直接です',
  'Intune problem for a direct CSP customer',
  'オンプレミスの SQL Server 2019、シルバーです',
  'Business Central, we are an advisor partner',
  'which severity should I choose?',
  ...knowledge.knownErrors.slice(0, 4).map((error) => error.message.ja),
];

/** A few conversations, so generated turns land in the middle of real dialogs. */
const conversationId = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c', 'fuzz-d', 'fuzz-e') },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

const text = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...labels, ...phrases) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\u202eAzure\u202c',
      '\ud800',
      '\udfff\ud800',
      'Ａｚｕｒｅ　ＣＳＰ',
      'ｱｽﾞｰﾙ',
      'A\u030a\u0301\u0302\u0303'.repeat(500),
      '👩‍👩‍👧‍👦'.repeat(2_000),
      'x'.repeat(5_001),
      'ア'.repeat(60_000),
      'ア'.repeat(100_000),
    ),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }).filter((value) => typeof value !== 'string') },
);

/** `depth` objects inside each other: stack-hungry for any recursive code on the way. */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { verb: 'answer', next: value };
  // fast-check prints a counterexample recursively; this keeps the report short and its stack intact
  return Object.assign(value as object, { [fc.toStringMethod]: () => `nested(${depth})` });
}

const question = fc.oneof(fc.constantFrom(...QuestionId.options), fc.string({ maxLength: 20 }));
const value = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      verb: fc.constant('answer'),
      question,
      option: fc.oneof(
        fc.constantFrom('azure', 'cspDirect', 'none', 'gold', 'cloud', 'older', 'aad', 'silver'),
        fc.string(),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        verb: fc.constantFrom(
          'start',
          'startOver',
          'changeAnswer',
          'severity',
          'knownError',
          'redirect',
          'answer',
          'nope',
        ),
        topic: fc.constantFrom('supportCase', 'severityHelp', 'knownError', 'notTechnicalSupport', 'x'),
        question,
        id: fc.oneof(fc.constantFrom(...knowledge.knownErrors.map((error) => error.id)), fc.string()),
        ready24x7: fc.oneof(fc.boolean(), fc.constantFrom('yes', 'no', 'maybe')),
        businessDown: fc.anything({ maxDepth: 1 }),
      },
      { requiredKeys: ['verb'] },
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3_000 }).map((depth) => nested(depth, 'azure')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      JSON.parse('{"__proto__":{"polluted":true},"verb":"answer","question":"family","option":"azure"}'),
      JSON.parse('{"constructor":{"prototype":{"polluted":true}},"verb":"startOver"}'),
      { verb: 'answer', question: 'family', option: 'azure'.repeat(1_000) },
      { verb: 'answer', question: 'toString', option: 'valueOf' },
    ),
  },
);

const locale = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('ja-JP', 'en-US', 'ja', 'en') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'xx-YY',
      'JA-jp',
      'ja_JP',
      'ja-JP-u-ca-japanese',
      '日本語',
      'en-US'.repeat(300),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const activityType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('message') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'conversationUpdate',
      'invoke',
      'event',
      'typing',
      'messageReaction',
      'endOfConversation',
      'installationUpdate',
      'deleteUserData',
      'messageUpdate',
      'messageDelete',
      'handoff',
      'trace',
      'command',
      'suggestion',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const account = fc.record({ id: fc.constantFrom('partner-1', 'partner-2', 'bot'), name: fc.string() });

const FIELDS = [
  'type',
  'id',
  'channelId',
  'serviceUrl',
  'deliveryMode',
  'conversation',
  'from',
  'recipient',
  'locale',
  'text',
  'value',
  'name',
  'membersAdded',
  'channelData',
  'attachments',
  'entities',
  'timestamp',
  'replyToId',
] as const;

/** One field replaced by anything at all, or removed. */
const mutation = fc.record({
  field: fc.constantFrom(...FIELDS),
  replacement: fc.oneof(fc.anything({ maxDepth: 2 }), fc.constant(undefined)),
});

/**
 * An activity as a client would post it — plausible in every field, so it gets deep into the dialogs — then,
 * for about a quarter of them, one to three fields replaced by anything or removed.
 * `serviceUrl` is the fake channel's, so replies without expectReplies have somewhere to go.
 */
function activity(serviceUrl: string) {
  const plausible = fc.record(
    {
      type: activityType,
      id: fc.oneof(
        { weight: 4, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constantFrom('dup-1', 'dup-2') },
      ),
      channelId: fc.constantFrom('webchat', 'msteams', 'emulator', 'directline', 'sms'),
      serviceUrl: fc.oneof(
        { weight: 20, arbitrary: fc.constant(serviceUrl) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('http://169.254.169.254/', 'https://example.com/', 'not a url'),
        },
      ),
      deliveryMode: fc.oneof(
        { weight: 8, arbitrary: fc.constant('expectReplies') },
        { weight: 2, arbitrary: fc.constantFrom('normal', undefined) },
      ),
      conversation: fc.oneof(
        { weight: 8, arbitrary: conversationId.map((id) => ({ id })) },
        {
          weight: 1,
          arbitrary: fc.record({
            id: conversationId,
            tenantId: fc.uuid(),
            conversationType: fc.constantFrom('personal', 'channel', 'groupChat'),
          }),
        },
      ),
      from: account,
      recipient: account,
      locale,
      text,
      value,
      name: fc.constantFrom(
        'adaptiveCard/action',
        'application/search',
        'task/fetch',
        'signin/verifyState',
        'x',
      ),
      membersAdded: fc.array(account, { maxLength: 2 }),
      channelData: fc.oneof(
        fc.record({ tenant: fc.record({ id: fc.uuid() }) }),
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
      ),
      attachments: fc.array(fc.record({ contentType: fc.string(), content: fc.jsonValue({ maxDepth: 3 }) }), {
        maxLength: 2,
      }),
      entities: fc.array(
        fc.oneof(
          fc.record({ type: fc.constant('mention'), mentioned: account, text: fc.string() }),
          fc.record({ type: fc.string(), locale: fc.string() }),
        ),
        { maxLength: 2 },
      ),
      timestamp: fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.string(),
      ),
    },
    { requiredKeys: ['type', 'id', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient'] },
  );
  const mutations = fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
  );
  return fc.tuple(plausible, mutations).map(([base, changes]) => {
    const tampered: Record<string, unknown> = { ...base };
    for (const { field, replacement } of changes) {
      if (replacement === undefined) delete tampered[field];
      else tampered[field] = replacement;
    }
    return tampered;
  });
}

/** Bodies that are not activities at all, with the content types clients get wrong. */
const rawBody = fc.record({
  body: fc.oneof(
    fc.constantFrom('', '{', 'null', '[]', '"activity"', '42', '{"type":', 'nonsense', '{"type":"message"}'),
    fc.string({ maxLength: 200 }),
  ),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''),
});

type Post =
  | { kind: 'activity'; activity: Record<string, unknown> }
  | { kind: 'raw'; body: string; contentType: string };

describe('fuzzing the messaging endpoint', () => {
  let bot: RunningBot;
  const channel = new FakeChannel();
  const errorLines: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    await channel.start();
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          if ((JSON.parse(line) as { level: number }).level >= 50) errorLines.push(line.slice(0, 2_000));
        }
        done();
      },
    });
    bot = await startBot({
      config: loadConfig({ PORT: '0' }),
      port: 0,
      host: '127.0.0.1',
      log: createLogger({ level: 'warn', destination }),
    });
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await bot?.close();
    await channel.close();
  });

  async function send(post: Post): Promise<{ status: number; body: string }> {
    const [body, contentType] =
      post.kind === 'raw'
        ? [post.body, post.contentType]
        : [JSON.stringify(post.activity), 'application/json'];
    const response = await fetch(bot.messagesUrl, {
      method: 'POST',
      headers: contentType ? { 'content-type': contentType } : {},
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  it(`answers ${BATCH * BATCHES} generated requests without a 5xx, a crash or an unhandled rejection`, async () => {
    const post: fc.Arbitrary<Post> = fc.oneof(
      {
        weight: 19,
        arbitrary: activity(channel.serviceUrl).map((generated) => ({
          kind: 'activity' as const,
          activity: generated,
        })),
      },
      { weight: 1, arbitrary: rawBody.map((raw) => ({ kind: 'raw' as const, ...raw })) },
    );
    let sent = 0;
    const statuses = new Map<number, number>();
    const details = await fc.check(
      fc.asyncProperty(fc.array(post, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const results = await Promise.all(batch.map(send));
        sent += batch.length;
        for (const [index, result] of results.entries()) {
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
          // 501 is the Bot Framework protocol's answer to an invoke the bot does not implement, not a fault
          const unimplementedInvoke =
            result.status === 501 &&
            batch[index].kind === 'activity' &&
            batch[index].activity.type === 'invoke';
          if (result.status >= 500 && !unimplementedInvoke) {
            const request = JSON.stringify(batch[index]).slice(0, 1_000);
            throw new Error(`HTTP ${result.status} ${result.body.slice(0, 300)} for ${request}`);
          }
        }
      }),
      { numRuns: BATCHES, endOnFailure: true },
    );
    // the failing request itself, not fast-check's print of the whole batch
    if (details.failed) throw details.errorInstance;
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(unhandled).toEqual([]);
    expect(errorLines.length, `turns failed:\n${errorLines.slice(0, 3).join('\n')}`).toBe(0);
    // most requests were real turns, not refusals: the fuzz reached the dialogs
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(sent / 2);
  }, 240_000);

  it('still takes a partner from the first message to the card afterwards', async () => {
    const base = {
      type: 'message',
      channelId: 'webchat',
      serviceUrl: channel.serviceUrl,
      conversation: { id: 'after-fuzz' },
      from: { id: 'partner-after' },
      recipient: { id: 'bot' },
      locale: 'ja-JP',
      deliveryMode: 'expectReplies',
    };
    await send({
      kind: 'activity',
      activity: { ...base, id: 'after-1', text: 'Azure の問題、CSP 直接です' },
    });
    const last = await send({
      kind: 'activity',
      activity: {
        ...base,
        id: 'after-2',
        value: { verb: 'answer', question: 'purchasedPlan', option: 'none' },
      },
    });
    expect(last.status).toBe(200);
    const replies = (JSON.parse(last.body) as { activities: Partial<Activity>[] }).activities;
    const expected = route({ family: 'azure', program: 'cspDirect', purchasedPlan: 'none' }, 'ja', knowledge);
    expect(expected.kind).toBe('route');
    expect(
      replies.some((reply) => expected.kind === 'route' && reply.summary?.includes(expected.summary)),
    ).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/**
 * The HTTP edge itself: requests whose headers vary as much as their bodies (content encodings with valid,
 * corrupt and bomb-like compressed bodies, content types, declared lengths, chunking, duplicated headers,
 * kept-alive connections) on the messaging endpoint and Direct Line. No 5xx, the process stays up, and a normal
 * conversation afterwards still reaches its card.
 */
const EDGE_BATCH = 25;
const EDGE_BATCHES = 200;

interface EdgeRequest {
  path: string;
  headers: Record<string, string | string[]>;
  chunks: Buffer[];
  keepAlive: boolean;
}

function edgeRequest(serviceUrl: string): fc.Arbitrary<EdgeRequest> {
  const turn = fc
    .record({
      id: fc.string({ minLength: 1, maxLength: 20 }),
      conversation: fc.constantFrom('edge-a', 'edge-b', 'edge-c'),
      text: fc.oneof(fc.constantFrom('Azure', 'help', 'オンプレミス', 'CSP'), fc.string({ maxLength: 50 })),
      deliveryMode: fc.constantFrom('expectReplies', 'normal', undefined),
    })
    .map(({ id, conversation, text, deliveryMode }) =>
      JSON.stringify({
        type: 'message',
        id,
        channelId: 'emulator',
        serviceUrl,
        conversation: { id: conversation },
        from: { id: 'edge-user' },
        recipient: { id: 'bot' },
        locale: 'en-US',
        text,
        deliveryMode,
      }),
    );
  const plain = fc.oneof(
    { weight: 6, arbitrary: turn },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', 'null', '{"type":"message"}', '[1,2]', '{"a":'.repeat(70)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
  const encoded = fc
    .tuple(
      plain,
      fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip', 'identity', 'GZIP', 'gzip, identity', 'zstd'),
    )
    .chain(([text, encoding]) =>
      fc.constantFrom(
        { encoding, body: Buffer.from(text) },
        { encoding, body: encoding.includes('deflate') ? deflateSync(text) : gzipSync(text) },
        { encoding, body: gzipSync(text).subarray(0, 10) },
        { encoding, body: Buffer.concat(Array(8).fill(gzipSync(Buffer.alloc(1024 * 1024)))) },
      ),
    );
  const body = fc.oneof(
    { weight: 3, arbitrary: plain.map((text) => ({ encoding: undefined, body: Buffer.from(text) })) },
    { weight: 1, arbitrary: encoded },
  );
  const contentType = fc.oneof(
    { weight: 4, arbitrary: fc.constant(['application/json']) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        ['APPLICATION/JSON; charset=UTF-8'],
        ['application/json', 'text/plain'],
        ['text/plain'],
        ['application/x-www-form-urlencoded'],
        ['application/json; charset=latin1'],
        ['multipart/form-data; boundary=x'],
        [],
      ),
    },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 40 }).map((value) => [value.replace(/[^\x20-\x7e]/g, '')]),
    },
  );
  /** How the body is framed: declared length (right, or over the limit), or chunked in pieces. */
  const framing = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'length' as const }) },
    {
      weight: 2,
      arbitrary: fc.integer({ min: 1, max: 8 }).map((pieces) => ({ kind: 'chunked' as const, pieces })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) },
  );
  /** A few more headers now and then, duplicated ones among them (Node sends an array as repeated lines). */
  const extra = fc
    .subarray(
      [
        ['authorization', 'Bearer x'],
        ['authorization', 'Basic abc'],
        ['authorization', ['Bearer a', 'Bearer b']],
        ['x-ms-conversation-id', ['a', 'b']],
        ['accept', ['application/json', 'text/html']],
        ['expect', '100-continue'],
        // Node's parser answers this one itself (400): it is not a framing it supports
        ['transfer-encoding', 'identity'],
      ] as [string, string | string[]][],
      { maxLength: 2 },
    )
    .map((entries) => Object.fromEntries(entries) as Record<string, string | string[]>);
  return fc
    .record({
      path: fc.oneof(
        { weight: 8, arbitrary: fc.constant('/api/messages') },
        { weight: 1, arbitrary: fc.constantFrom('/api/directline/token', '/v3/directline/conversations') },
      ),
      body,
      contentType,
      framing,
      extra,
      keepAlive: fc.boolean(),
    })
    .map(
      ({
        path,
        body: { encoding, body: bytes },
        contentType: types,
        framing: frame,
        extra: more,
        keepAlive,
      }) => {
        const headers: Record<string, string | string[]> = { ...more };
        if (types.length) headers['content-type'] = types.length === 1 ? types[0] : [...types];
        if (encoding) headers['content-encoding'] = encoding;
        // a body is either declared or chunked; 'transfer-encoding: identity' only comes with a declared length
        let chunks = [bytes];
        if (frame.kind === 'chunked') {
          delete headers['transfer-encoding'];
          const size = Math.max(1, Math.ceil(bytes.length / frame.pieces));
          chunks = [];
          for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
        } else {
          headers['content-length'] = frame.kind === 'huge' ? String(50 * 1024 * 1024) : String(bytes.length);
          if (frame.kind === 'huge') chunks = [bytes.subarray(0, 100)];
        }
        // a client that declared more than it sent cannot reuse its connection
        return { path, headers, chunks, keepAlive: keepAlive && frame.kind !== 'huge' };
      },
    );
}

describe('fuzzing the HTTP edge: headers as well as bodies', () => {
  let bot: RunningBot;
  const channel = new FakeChannel();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 });

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    await channel.start();
    bot = await startBot({
      config: loadConfig({ PORT: '0' }),
      port: 0,
      host: '127.0.0.1',
      webChat: true,
      log: createLogger({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    keepAlive.destroy();
    await bot?.close();
    await channel.close();
  });

  it(`answers ${EDGE_BATCH * EDGE_BATCHES} requests with generated headers without a 5xx or a crash`, async () => {
    const statuses = new Map<number, number>();
    let sent = 0;
    const details = await fc.check(
      fc.asyncProperty(
        fc.array(edgeRequest(channel.serviceUrl), { minLength: EDGE_BATCH, maxLength: EDGE_BATCH }),
        async (batch) => {
          const results = await Promise.all(
            batch.map((request) =>
              rawRequest(`${bot.url}${request.path}`, {
                headers: request.headers,
                body: request.chunks,
                agent: request.keepAlive ? keepAlive : false,
              }).then(
                (response) => ({ request, status: response.status, text: response.text }),
                // the server may close a connection it refused (Connection: close) while the body was still going
                (error: NodeJS.ErrnoException) => ({ request, status: 0, text: String(error.code) }),
              ),
            ),
          );
          sent += batch.length;
          for (const { request, status, text } of results) {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 500 || (status === 0 && text !== 'ECONNRESET' && text !== 'EPIPE')) {
              const shown = JSON.stringify({
                ...request,
                chunks: request.chunks.map((chunk) => chunk.length),
              });
              throw new Error(`HTTP ${status} ${text.slice(0, 300)} for ${shown}`);
            }
            const encoding = String(request.headers['content-encoding'] ?? 'identity');
            if (status !== 0 && !/^\s*identity\s*$/i.test(encoding) && request.path === '/api/messages') {
              // a compressed body is refused before it is read, whatever else the request says
              expect([415, 413, 400]).toContain(status);
            }
          }
        },
      ),
      { numRuns: EDGE_BATCHES, endOnFailure: true },
    );
    if (details.failed) throw details.errorInstance;
    expect(sent).toBeGreaterThanOrEqual(5_000);
    expect(unhandled).toEqual([]);
    // the edge let real turns through too, not only refusals
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(sent / 10);
    // refusals made of connection resets stay rare: nearly every request got an answer
    expect(statuses.get(0) ?? 0, JSON.stringify([...statuses])).toBeLessThan(sent / 20);
  }, 240_000);

  it('still takes a partner from the first message to the card afterwards', async () => {
    const base = {
      type: 'message',
      channelId: 'emulator',
      serviceUrl: channel.serviceUrl,
      conversation: { id: 'after-edge-fuzz' },
      from: { id: 'partner-after' },
      recipient: { id: 'bot' },
      locale: 'en-US',
      deliveryMode: 'expectReplies',
    };
    const response = await rawRequest(bot.messagesUrl, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...base, id: 'after-1', text: 'Intune issue for my direct CSP customer' }),
    });
    expect(response.status).toBe(200);
    const expected = knowledge.plans.find((plan) => plan.id === 'microsoft365NoContract')!.name.en;
    expect(response.text).toContain(expected);
  });
});
