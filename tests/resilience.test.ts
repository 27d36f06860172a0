import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { TurnGuard } from '../src/hardening/turnGuard';
import { securityMessages } from '../src/messages/security';

/** A user message of one conversation, as a channel delivers it. */
function message(conversationId: string, id: string, text: string, locale = 'en-US'): Partial<Activity> {
  return {
    type: 'message',
    id,
    text,
    locale,
    channelId: 'test',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'partner', name: 'Partner' },
    recipient: { id: 'bot', name: 'Bot' },
  };
}

/** A bot that counts the answers it took, and can be held mid-turn to simulate a slow turn. */
function countingBot() {
  const answers: string[] = [];
  let release: () => void = () => undefined;
  let hold: Promise<void> | undefined;
  return {
    answers,
    holdNextTurn() {
      hold = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    async logic(context: TurnContext) {
      const wait = hold;
      hold = undefined;
      if (wait) await wait;
      answers.push(context.activity.text ?? '');
      await context.sendActivity(`took answer ${answers.length}`);
    },
  };
}

describe('turn guard (one process)', () => {
  it('does not run a redelivered activity twice', async () => {
    const bot = countingBot();
    const adapter = new TestAdapter((context) => bot.logic(context));
    adapter.use(new TurnGuard());
    await adapter.processActivity(message('c1', 'a1', 'azure'));
    await adapter.processActivity(message('c1', 'a1', 'azure'));
    await adapter.processActivity(message('c1', 'a2', 'cspDirect'));
    expect(bot.answers).toEqual(['azure', 'cspDirect']);
  });

  it('runs a redelivery again when the first delivery failed', async () => {
    let attempts = 0;
    const adapter = new TestAdapter(async () => {
      attempts++;
      if (attempts === 1) throw new Error('storage hiccup');
    });
    adapter.use(new TurnGuard());
    await expect(adapter.processActivity(message('c1', 'a1', 'azure'))).rejects.toThrow('storage hiccup');
    await adapter.processActivity(message('c1', 'a1', 'azure'));
    expect(attempts).toBe(2);
  });

  it('answers a double-click with "one moment" in the user language and keeps the first answer', async () => {
    const bot = countingBot();
    const adapter = new TestAdapter((context) => bot.logic(context));
    const guard = new TurnGuard();
    adapter.use(guard);
    bot.holdNextTurn();
    const first = adapter.processActivity(message('c1', 'a1', 'gold', 'ja-JP'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(guard.turnsInFlight).toBe(1);
    await adapter.processActivity(message('c1', 'a2', 'silver', 'ja-JP'));
    expect(adapter.activeQueue.map((reply) => reply.text)).toEqual([securityMessages.busy.ja]);
    bot.release();
    await first;
    await guard.idle();
    expect(bot.answers).toEqual(['gold']);
    expect(adapter.activeQueue.map((reply) => reply.text)).toEqual([
      securityMessages.busy.ja,
      'took answer 1',
    ]);
  });

  it('lets other conversations run while one turn is slow', async () => {
    const bot = countingBot();
    const adapter = new TestAdapter((context) => bot.logic(context));
    adapter.use(new TurnGuard());
    bot.holdNextTurn();
    const slow = adapter.processActivity(message('slow', 'a1', 'first'));
    await new Promise((resolve) => setImmediate(resolve));
    await adapter.processActivity(message('other', 'b1', 'second'));
    expect(bot.answers).toEqual(['second']);
    bot.release();
    await slow;
    expect(bot.answers).toEqual(['second', 'first']);
  });

  it('queues a non-message activity behind the running turn instead of dropping it', async () => {
    const bot = countingBot();
    const adapter = new TestAdapter((context) => bot.logic(context));
    adapter.use(new TurnGuard());
    bot.holdNextTurn();
    const first = adapter.processActivity(message('c1', 'a1', 'first'));
    await new Promise((resolve) => setImmediate(resolve));
    const update = adapter.processActivity({ ...message('c1', 'u1', 'update'), type: 'conversationUpdate' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(bot.answers).toEqual([]);
    bot.release();
    await Promise.all([first, update]);
    expect(bot.answers).toEqual(['first', 'update']);
  });
});
