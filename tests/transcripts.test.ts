import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../src/index';
import { createLogger } from '../src/logger';
import { TranscriptFileStore, transcriptMiddleware } from '../src/transcripts';

const RECORDED = path.resolve(import.meta.dirname, 'transcripts');
const silent = createLogger({ level: 'silent' });

type Recorded = Partial<Activity> & { type: string; from?: { id: string; role?: string } };

/** One turn of a recorded conversation: what the user sent, and what the bot answered. */
interface Turn {
  user: Recorded;
  replies: Recorded[];
}

/** Splits a transcript into turns: each user activity with the bot messages that follow it. */
function turnsOf(activities: Recorded[]): Turn[] {
  const turns: Turn[] = [];
  for (const activity of activities) {
    if (activity.from?.role === 'user') turns.push({ user: activity, replies: [] });
    else if (activity.type === 'message' && turns.length) turns.at(-1)!.replies.push(activity);
  }
  return turns;
}

const SHOWN = new Set([
  'text',
  'title',
  'subtitle',
  'value',
  'url',
  'placeholder',
  'label',
  'altText',
  'fallbackText',
]);

/**
 * What a partner sees of a bot message and what its buttons send, in order: text, suggested actions, and every
 * text, fact, link and button of its cards (with the submit data, which decides what a click does).
 * Ids, timestamps, addresses and layout are left out, so a replay compares only what matters.
 */
function whatMatters(activity: Recorded): string[] {
  const seen: string[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (key && SHOWN.has(key)) seen.push(`${key}: ${node.replace(/\s+/g, ' ').trim()}`);
    } else if (Array.isArray(node)) {
      node.forEach((item) => walk(item, key));
    } else if (node && typeof node === 'object') {
      if (key === 'data' || key === 'value') {
        seen.push(`${key}: ${JSON.stringify(node, Object.keys(node).sort())}`);
        return;
      }
      for (const [childKey, child] of Object.entries(node)) walk(child, childKey);
    }
  };
  walk(activity.text, 'text');
  walk(activity.suggestedActions?.actions, 'suggestedActions');
  for (const attachment of activity.attachments ?? []) {
    seen.push(`attachment: ${attachment.contentType}`);
    walk(attachment.content);
  }
  return seen;
}

async function send(bot: RunningBot, activity: object): Promise<Recorded[]> {
  const response = await fetch(bot.messagesUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { activities?: Recorded[] };
  return (body.activities ?? []).filter((reply) => reply.type === 'message');
}

describe('transcripts recorded by trainers, replayed against the bot', () => {
  let bot: RunningBot;
  const files = readdirSync(RECORDED).filter((file) => file.endsWith('.transcript'));

  beforeAll(async () => {
    bot = await startBot({ env: {}, port: 0, storage: new MemoryStorage(), log: silent });
  });
  afterAll(() => bot?.close());

  it('has recordings in both languages', () => {
    const locales = files.flatMap((file) =>
      (JSON.parse(readFileSync(path.join(RECORDED, file), 'utf8')) as Recorded[]).map((a) =>
        a.locale?.slice(0, 2),
      ),
    );
    expect(new Set(locales)).toEqual(new Set(['en', 'ja']));
  });

  for (const file of files) {
    it(`replays ${file}: the bot answers each turn as recorded`, async () => {
      const recorded = JSON.parse(readFileSync(path.join(RECORDED, file), 'utf8')) as Recorded[];
      const turns = turnsOf(recorded);
      expect(turns.length).toBeGreaterThan(1);
      // a fresh conversation, so nothing another test did can leak in
      const conversation = { ...recorded[0].conversation, id: `replay-${randomUUID()}` };
      for (const [index, turn] of turns.entries()) {
        const replies = await send(bot, {
          ...turn.user,
          id: randomUUID(),
          conversation,
          serviceUrl: 'http://127.0.0.1/',
          timestamp: undefined,
        } as Partial<Activity>);
        const context = `turn ${index + 1} of ${file}: the user sent ${JSON.stringify(turn.user.text ?? turn.user.value ?? turn.user.type)}`;
        expect(replies.map(whatMatters), context).toEqual(turn.replies.map(whatMatters));
      }
    });
  }
});

describe('transcript files for the Emulator', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'transcripts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const activity = (conversationId: string, text: string, role?: string): Activity =>
    ({
      type: 'message',
      id: randomUUID(),
      text,
      channelId: 'msteams',
      conversation: { id: conversationId },
      from: { id: 'someone', role },
      recipient: { id: 'bot' },
      timestamp: new Date(),
    }) as Activity;

  it('are off unless TRANSCRIPTS_DIR is set', () => {
    expect(transcriptMiddleware({ dir: undefined })).toBeUndefined();
    expect(transcriptMiddleware({ dir: '  ' })).toBeUndefined();
    expect(transcriptMiddleware({ dir })).toBeDefined();
  });

  it('keep one JSON array per conversation, valid after every write, in order, with who said what', async () => {
    const store = new TranscriptFileStore(dir);
    const teamsChannel = '19:abc@thread.skype;messageid=1700000000000';
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.logActivity(activity(teamsChannel, `m${i}`, i % 2 ? undefined : 'user')),
    );
    await store.logActivity(activity('other', 'elsewhere', 'user'));
    await Promise.all(writes);
    const file = store.fileFor('msteams', teamsChannel);
    expect(path.basename(file)).toMatch(
      /^msteams-19_abc_thread\.skype_messageid_1700000000000-[0-9a-f]{10}\.transcript$/,
    );
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Recorded[];
    expect(saved.map((a) => a.text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(saved.map((a) => a.from?.role)).toEqual(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? 'bot' : 'user')),
    );
    expect(readdirSync(dir).sort()).toEqual(
      [path.basename(store.fileFor('msteams', 'other')), path.basename(file)].sort(),
    );
  });

  it('continue a file someone reformatted', async () => {
    const store = new TranscriptFileStore(dir);
    const file = store.fileFor('msteams', 'edited');
    writeFileSync(file, JSON.stringify([activity('edited', 'first', 'user')]));
    await store.logActivity(activity('edited', 'second'));
    expect((JSON.parse(readFileSync(file, 'utf8')) as Recorded[]).map((a) => a.text)).toEqual([
      'first',
      'second',
    ]);
  });

  it('are written by the running bot for every conversation when TRANSCRIPTS_DIR is set', async () => {
    const bot = await startBot({
      env: { TRANSCRIPTS_DIR: dir },
      port: 0,
      storage: new MemoryStorage(),
      log: silent,
    });
    try {
      const conversation = { id: `emulator-${randomUUID()}`, name: '', isGroup: false };
      const base = {
        channelId: 'emulator',
        serviceUrl: 'http://127.0.0.1/',
        conversation,
        recipient: { id: 'bot', name: 'Bot', role: 'bot' },
        locale: 'en-US',
      };
      const user = { id: 'trainer', name: 'User', role: 'user' };
      await send(bot, {
        ...base,
        type: 'conversationUpdate',
        id: randomUUID(),
        from: user,
        membersAdded: [{ id: 'bot', name: 'Bot' }, user],
      });
      await send(bot, { ...base, type: 'message', id: randomUUID(), from: user, text: 'help' });
      const file = new TranscriptFileStore(dir).fileFor('emulator', conversation.id);
      let saved: Recorded[] = [];
      for (
        let attempt = 0;
        attempt < 100 && saved.filter((a) => a.from?.role === 'bot').length < 2;
        attempt++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        try {
          saved = JSON.parse(readFileSync(file, 'utf8')) as Recorded[];
        } catch {
          // not written yet
        }
      }
      expect(saved[0].type).toBe('conversationUpdate');
      expect(saved.some((a) => a.from?.role === 'user' && a.text === 'help')).toBe(true);
      expect(
        saved.filter((a) => a.from?.role === 'bot' && a.type === 'message').length,
      ).toBeGreaterThanOrEqual(2);
    } finally {
      await bot.close();
    }
  });
});
