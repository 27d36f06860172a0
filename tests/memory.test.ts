import { describe, expect, test } from 'vitest';
import { pino } from 'pino';
import { ConditionalMemoryStorage } from '../src/storage';
import { loadStorageSettings } from '../src/storage/settings';
import { startBot } from '../src/index';
import { loadConfig } from '../src/config';
import { client, says } from './helpers/channels';
import { allText, button } from './helpers/replies';
import type { Activity } from 'botbuilder';
import { getKnowledge } from '../src/knowledge/load';

/** In-memory state stays bounded: by count (least recently used out first) and by idle time. */

const MINUTE = 60_000;

function clockedStore(maxItems: number, idleMinutes: number) {
  let now = 0;
  const memory: Record<string, string> = {};
  const store = new ConditionalMemoryStorage(memory, { maxItems, idleMs: idleMinutes * MINUTE }, () => now);
  return { store, memory, advance: (minutes: number) => (now += minutes * MINUTE) };
}

describe('memory state', () => {
  test('keeps at most maxItems conversations, dropping the least recently used', async () => {
    const { store, memory, advance } = clockedStore(3, 60);
    for (const key of ['a', 'b', 'c']) {
      await store.writeIfUnchanged(key, { step: 1 }, null);
      advance(1);
    }
    // "a" is used again, so "b" is now the least recently used
    expect(Object.keys(await store.read(['a']))).toEqual(['a']);
    advance(1);
    await store.write({ d: { step: 1 } });
    expect(Object.keys(memory).sort()).toEqual(['a', 'c', 'd']);
    expect(store.size).toBe(3);
    for (let i = 0; i < 1_000; i++) await store.writeIfUnchanged(`flood-${i}`, { step: 1 }, null);
    expect(store.size).toBe(3);
    expect(Object.keys(memory)).toHaveLength(3);
  });

  test('forgets a conversation idle longer than idleMs; a conversation in use stays', async () => {
    const { store, memory, advance } = clockedStore(100, 30);
    const eTag = await store.writeIfUnchanged('idle', { step: 1 }, null);
    await store.writeIfUnchanged('busy', { step: 1 }, null);
    for (let minute = 0; minute < 40; minute += 10) {
      advance(10);
      await store.read(['busy']);
    }
    expect(await store.read(['idle'])).toEqual({});
    expect(Object.keys(memory)).toEqual(['busy']);
    // the partner who comes back starts a new conversation: its first write expects nothing stored
    await expect(store.writeIfUnchanged('idle', { step: 2 }, eTag)).rejects.toThrow();
    await expect(store.writeIfUnchanged('idle', { step: 2 }, null)).resolves.toBeTruthy();
  });

  test('MEMORY_STATE_MAX_CONVERSATIONS and MEMORY_STATE_IDLE_MINUTES set the limits; nonsense stops start-up', () => {
    expect(
      loadStorageSettings({ MEMORY_STATE_MAX_CONVERSATIONS: '500', MEMORY_STATE_IDLE_MINUTES: '90' }),
    ).toEqual({
      kind: 'memory',
      limits: { maxItems: 500, idleMs: 90 * MINUTE },
    });
    expect(() => loadStorageSettings({ MEMORY_STATE_MAX_CONVERSATIONS: 'lots' })).toThrow(
      /MEMORY_STATE_MAX_CONVERSATIONS/,
    );
    expect(() => loadStorageSettings({ MEMORY_STATE_IDLE_MINUTES: '0' })).toThrow(
      /MEMORY_STATE_IDLE_MINUTES/,
    );
  });

  test('over HTTP: with room for 100, 100 newer conversations push an older case out; a recent one goes on', async () => {
    const knowledge = getKnowledge();
    const env = { MEMORY_STATE_MAX_CONVERSATIONS: '100' };
    const bot = await startBot({
      env,
      config: loadConfig(env),
      log: pino({ level: 'silent' }),
      port: 0,
      host: '127.0.0.1',
    });
    const turn = async (activity: object): Promise<Partial<Activity>[]> => {
      const response = await fetch(bot.messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { activities: Partial<Activity>[] }).activities;
    };
    const advisor = knowledge.questions.program.options.find((option) => option.id === 'advisor')!.label.en;
    const nextQuestion = knowledge.questions.purchasedPlan.prompt.en;
    try {
      const old = client('emulator', 'en-US');
      const asked = await turn(says(old, 'Azure'));
      for (let i = 0; i < 100; i++) await turn(says(client('emulator', 'en-US'), 'Azure'));
      const recent = client('emulator', 'en-US');
      await turn(says(recent, 'Azure'));
      expect(allText(await turn(button(asked, advisor).press(recent)))).toContain(nextQuestion);
      // the older partner's "Azure" is forgotten: the same answer no longer leads to the next question
      expect(allText(await turn(button(asked, advisor).press(old)))).not.toContain(nextQuestion);
    } finally {
      await bot.close();
    }
  });
});
