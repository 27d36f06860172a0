import { ContainerClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config';
import { everyDecidedCase, type DecidedCase } from '../src/engine/space';
import { startBot, type RunningBot } from '../src/index';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang, QuestionId } from '../src/knowledge/schema';
import { cardMessages } from '../src/messages/cards';
import { ConditionalBlobsStorage } from '../src/storage/blobs';
import { client, joins, type ClientKind } from './helpers/channels';
import { allText, button } from './helpers/replies';

/**
 * The conversation test table on Azure Blob storage: every path of the routing engine (the table
 * tests/dialogs.test.ts plays on memory storage), played through the real composition root over HTTP, with
 * conversation state in a blob container on Azurite; each path once, in English or Japanese in turn.
 */

const knowledge = getKnowledge();
const connectionString = inject('storageConnectionString');
const CLIENTS: ClientKind[] = ['teamsPersonal', 'webchat', 'emulator'];
const LOCALE: Record<Lang, string> = { en: 'en-US', ja: 'ja-JP' };

/** The route id of each finished case, by conversation, from the bot's `caseFinished` log line. */
const finished = new Map<string, string>();
const log = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { event?: string; conversationId?: string; routeId?: string };
        if (entry.event === 'caseFinished') finished.set(String(entry.conversationId), String(entry.routeId));
      }
      done();
    },
  }),
);

let bot: RunningBot;
const container = new ContainerClient(connectionString, `dialogs-${randomUUID()}`);

/** Blobs in the container: one per conversation, so the state really went to blob storage. */
async function storedBlobs(): Promise<number> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat()) names.push(blob.name);
  return names.length;
}

beforeAll(async () => {
  const storage = new ConditionalBlobsStorage({
    connectionString,
    container: container.containerName,
    timeoutMs: 5_000,
  });
  bot = await startBot({ config: loadConfig({}), env: {}, storage, log, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await bot?.close();
});

type Replies = Partial<Activity>[];

/** One turn over HTTP; the replies come back in the response (deliveryMode expectReplies). */
async function turn(activity: Partial<Activity>): Promise<Replies> {
  const response = await fetch(bot.messagesUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies', serviceUrl: 'http://127.0.0.1/' }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { activities?: Replies };
  return (body.activities ?? []).filter((reply) => reply.type === 'message');
}

const asked = (replies: Replies, lang: Lang) =>
  (Object.keys(knowledge.questions) as QuestionId[]).filter((question) =>
    allText(replies).includes(knowledge.questions[question].prompt[lang]),
  );

/** Plays one decided path from the welcome card to its result card, checking every question on the way. */
async function play(decided: DecidedCase, kind: ClientKind, lang: Lang): Promise<void> {
  const partner = client(kind, LOCALE[lang]);
  const welcome = await turn(joins(partner));
  let replies = await turn(button(welcome, cardMessages.topicSupportCase[lang]).press(partner));
  for (const [question, option] of Object.entries(decided.answers) as [QuestionId, string][]) {
    expect(asked(replies, lang), `${decided.outcome.id}: ${question} next`).toEqual([question]);
    const choice = knowledge.questions[question].options.find((entry) => entry.id === option)!;
    replies = await turn(button(replies, choice.label[lang]).press(partner));
  }
  expect(asked(replies, lang)).toEqual([]);
  expect(finished.get(partner.conversation.id)).toBe(decided.outcome.id);
  const { outcome } = decided;
  expect(allText(replies)).toContain(outcome.kind === 'route' ? outcome.plan.name : outcome.reason);
}

/** Several partners at a time, as in production: the store's round trips overlap instead of adding up. */
const PARTNERS_AT_ONCE = 8;

describe('every decided path of the routing engine, with conversation state in blob storage', () => {
  // The same paths in both languages: storage does not care which, so each path is played once, in turn.
  const byLang = { en: everyDecidedCase('en', knowledge), ja: everyDecidedCase('ja', knowledge) };
  const langOf = (index: number): Lang => (index % 2 === 0 ? 'en' : 'ja');

  it(`all ${byLang.en.length} paths reach their card, asking only what the engine asks`, async () => {
    expect(byLang.ja.map((decided) => decided.outcome.id)).toEqual(
      byLang.en.map((decided) => decided.outcome.id),
    );
    let next = 0;
    const partner = async () => {
      for (let index = next++; index < byLang.en.length; index = next++) {
        const lang = langOf(index);
        await play(byLang[lang][index]!, CLIENTS[index % CLIENTS.length]!, lang);
      }
    };
    await Promise.all(Array.from({ length: PARTNERS_AT_ONCE }, partner));
    expect(await storedBlobs()).toBe(byLang.en.length);
  }, 240_000);
});
