import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, loadSettings } from '../src/config';
import { redact } from '../src/insights/events';
import { AbandonWatch } from '../src/insights/abandoned';
import { startBot } from '../src/index';
import { client, says } from './helpers/channels';
import { allText } from './helpers/replies';
import { LogLines, TestChat } from './helpers/chat';

const events = (chat: TestChat) =>
  chat.log.lines
    .filter((line) => typeof line.event === 'string')
    .map(({ event, how, question, option, text, routeId }) => ({
      event,
      how,
      question,
      option,
      text,
      routeId,
    }));

describe('case events for trainers', () => {
  it('logs a case step by step: started, asked, answered by button and typed, not understood (redacted), finished', async () => {
    const chat = new TestChat(client('webchat', 'en-US'));
    await chat.say('Azure');
    await chat.say('CSP (direct)');
    await chat.say('my contract 12345678 and mail bob@contoso.com, see https://contoso.com/x');
    await chat.say('we have not bought either');
    expect(events(chat)).toEqual([
      { event: 'caseStarted', how: 'typed' },
      { event: 'questionAsked', question: 'program' },
      { event: 'answerTaken', question: 'program', option: 'cspDirect', how: 'button' },
      { event: 'questionAsked', question: 'purchasedPlan' },
      {
        event: 'notUnderstood',
        question: 'purchasedPlan',
        text: 'my contract <n> and mail <email>, see <url>',
      },
      { event: 'answerTaken', question: 'purchasedPlan', option: 'none', how: 'typed' },
      { event: 'caseFinished', routeId: 'azure/cloudSolutionProvider' },
    ]);
    const started = chat.log.lines.find((line) => line.event === 'caseStarted');
    expect(started).toMatchObject({ answers: { family: 'azure' }, locale: 'en-US', channelId: 'webchat' });
    expect(JSON.stringify(chat.log.lines)).not.toMatch(/12345678|bob@|contoso\.com/);
  });

  it('takes a card submit as a button and logs no message text when that is switched off', async () => {
    const chat = new TestChat(client('webchat', 'en-US'), { notUnderstoodText: false });
    await chat.say('Azure');
    await chat.submit({ verb: 'answer', question: 'program', option: 'advisor' });
    await chat.say('blue bananas');
    expect(events(chat)).toContainEqual({
      event: 'answerTaken',
      question: 'program',
      option: 'advisor',
      how: 'button',
    });
    const missed = chat.log.lines.find((line) => line.event === 'notUnderstood');
    expect(missed).toMatchObject({ question: 'purchasedPlan' });
    expect(missed).not.toHaveProperty('text');
  });
});

describe('each step once', () => {
  it('a redelivered last answer (the channel retried) shows the card again but logs the case finished once', async () => {
    const chat = new TestChat(client('webchat', 'en-US'));
    await chat.say('Azure');
    await chat.say('CSP (direct)');
    const last = says(chat.client, 'No purchased plan');
    const first = await chat.send(last);
    const again = await chat.send(last);
    expect(allText(again)).toEqual(allText(first));
    expect(allText(first)).toContain('Cloud Solution Provider');
    expect(chat.log.routeIds()).toEqual(['azure/cloudSolutionProvider']);
    expect(events(chat).filter((line) => line.event === 'answerTaken')).toHaveLength(2);
  });

  it('a message not understood with no question open (the main menu) is logged too, redacted', async () => {
    const chat = new TestChat(client('webchat', 'en-US'));
    await chat.say('blue bananas 12345');
    expect(events(chat)).toContainEqual({ event: 'notUnderstood', text: 'blue bananas <n>' });
    const missed = chat.log.lines.find((line) => line.event === 'notUnderstood');
    expect(missed).not.toHaveProperty('question');
  });
});

describe('abandoned (ABANDON_AFTER_MINUTES)', () => {
  it('logs the question a silent case was left at, once, and not for a case that reached its card or goes on', async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const options = { abandonAfterMinutes: 30, now: () => now };
    const left = new TestChat(client('webchat', 'en-US'), options);
    const finished = new TestChat(client('webchat', 'en-US'), options);
    const back = new TestChat(client('webchat', 'en-US'), options);
    await left.say('Azure');
    await finished.say('Azure');
    await finished.say('CSP (direct)');
    await finished.say('No purchased plan');
    await back.say('Azure');
    now += 20 * 60_000;
    await back.say('help');
    now += 11 * 60_000;
    for (const chat of [left, finished, back]) chat.events.abandoned.sweep();
    const abandoned = (chat: TestChat) => chat.log.lines.filter((line) => line.event === 'abandoned');
    expect(abandoned(left)).toMatchObject([{ question: 'program', idleMinutes: 31 }]);
    expect(abandoned(finished)).toEqual([]);
    expect(abandoned(back)).toEqual([]);
    now += 30 * 60_000;
    for (const chat of [left, back]) chat.events.abandoned.sweep();
    expect(abandoned(left)).toHaveLength(1);
    expect(abandoned(back)).toMatchObject([{ question: 'program', idleMinutes: 41 }]);
  });

  it('sweeps on its own once started, and never after it is stopped', async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const log = new LogLines();
    const watch = new AbandonWatch(log.logger, { afterMinutes: 30, everyMs: 5, now: () => now });
    const abandoned = () => log.lines.filter((line) => line.event === 'abandoned');
    watch.start();
    watch.caseOpen('left', 'webchat', 'program');
    now += 31 * 60_000;
    await vi.waitFor(() => expect(abandoned()).toMatchObject([{ conversationId: 'left' }]));
    watch.stop();
    watch.caseOpen('after', 'webchat', 'program');
    now += 31 * 60_000;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(abandoned()).toHaveLength(1);
  });

  it('the running bot starts one sweep at start-up and stops it when it closes', async () => {
    const start = vi.spyOn(AbandonWatch.prototype, 'start');
    const stop = vi.spyOn(AbandonWatch.prototype, 'stop');
    try {
      const bot = await startBot({
        env: {},
        config: loadConfig({}),
        log: pino({ level: 'silent' }),
        port: 0,
        host: '127.0.0.1',
      });
      expect(start).toHaveBeenCalledTimes(1);
      expect(stop).not.toHaveBeenCalled();
      await bot.close();
      expect(stop).toHaveBeenCalledTimes(1);
    } finally {
      start.mockRestore();
      stop.mockRestore();
    }
  });

  it('is a setting of whole minutes, 30 by default', () => {
    expect(loadSettings({ ABANDON_AFTER_MINUTES: '45' }).events.abandonAfterMinutes).toBe(45);
    expect(() => loadSettings({ ABANDON_AFTER_MINUTES: 'soon' })).toThrow(/ABANDON_AFTER_MINUTES/);
  });
});

describe('redact', () => {
  it('removes digits, e-mail addresses, GUIDs and URLs', () => {
    expect(
      redact(
        'ID 1234-5678 for a@b.co.jp at https://x.y/z?q=1 tenant 0f8fad5b-d9cb-469f-a165-70867728950e ok',
      ),
    ).toBe('ID <n> for <email> at <url> tenant <guid> ok');
  });
});

describe('EVENTS_NOT_UNDERSTOOD_TEXT', () => {
  it('logs the redacted text by default, none with off, and refuses other values', () => {
    expect(loadSettings({}).events).toEqual({ notUnderstoodText: true, abandonAfterMinutes: 30 });
    expect(loadSettings({ EVENTS_NOT_UNDERSTOOD_TEXT: 'off' }).events).toMatchObject({
      notUnderstoodText: false,
    });
    expect(() => loadSettings({ EVENTS_NOT_UNDERSTOOD_TEXT: 'no' })).toThrow(ConfigError);
  });
});
