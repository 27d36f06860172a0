import { afterEach, describe, expect, test } from 'vitest';
import { pino } from 'pino';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang, QuestionId } from '../src/knowledge/schema';
import { questionNames } from '../src/messages/cards';
import { conversationMessages, say, type ConversationMessageId } from '../src/messages/conversation';
import { HandoffWebhook } from '../src/handoff/webhook';
import { ConfigError, loadSettings } from '../src/config';
import { client } from './helpers/channels';
import { TestChat } from './helpers/chat';
import { allText, button } from './helpers/replies';
import { supportDesk, type SupportDesk } from './helpers/supportDesk';

const knowledge = getKnowledge();
const LOCALE: Record<Lang, string> = { en: 'en-US', ja: 'ja-JP' };
const text = (id: ConversationMessageId, lang: Lang) => conversationMessages[id][lang];
const label = (question: QuestionId, option: string, lang: Lang) =>
  knowledge.questions[question].options.find((entry) => entry.id === option)?.label[lang] ?? option;
const asked = (replies: Parameters<typeof allText>[0], question: QuestionId, lang: Lang) =>
  allText(replies).includes(knowledge.questions[question].prompt[lang]);
const supportWindow = (lang: Lang) =>
  knowledge.redirects.find((redirect) => redirect.id === 'programSupport')?.text[lang] ?? 'no window';

const PERSON: Record<Lang, string> = { en: 'talk to a person', ja: '担当者と話したい' };
const YES: Record<Lang, string> = { en: 'yes', ja: 'はい' };
const NO: Record<Lang, string> = { en: 'no thanks', ja: 'いいえ' };
const NONSENSE: Record<Lang, [string, string]> = {
  en: ['banana', 'banana split'],
  ja: ['バナナ', 'バナナのスプリット'],
};

let desks: SupportDesk[] = [];
afterEach(async () => {
  await Promise.all(desks.map((desk) => desk.close()));
  desks = [];
});

/** A chat with the real bot whose support-desk webhook is a local receiver answering with `statuses`. */
async function chatWithDesk(lang: Lang, statuses: number[] = []) {
  const desk = await supportDesk(statuses);
  desks.push(desk);
  const handoff = new HandoffWebhook({
    url: desk.url,
    log: pino({ level: 'silent' }),
    backoffMs: 5,
    attempts: 2,
  });
  const chat = new TestChat(client('webchat', LOCALE[lang]), { handoff });
  return { chat, desk };
}

/** What the desk received, as one string. */
const posted = (desk: SupportDesk) => JSON.stringify(desk.received.map((post) => post.body));

describe.each(['en', 'ja'] as Lang[])('hand-off to a person (%s)', (lang) => {
  test('without a webhook: where people answer (the seed’s single window), and the question again', async () => {
    const chat = new TestChat(client('webchat', LOCALE[lang]));
    let replies = await chat.say(PERSON[lang]);
    expect(allText(replies)).toContain(text('humanHelp', lang));
    expect(allText(replies)).toContain(supportWindow(lang));
    replies = await chat.say('Azure');
    expect(asked(replies, 'program', lang)).toBe(true);
    replies = await chat.say(PERSON[lang]);
    expect(allText(replies)).toContain(supportWindow(lang));
    expect(asked(replies, 'program', lang)).toBe(true);
    expect(allText(replies)).not.toContain(text('handoffConsent', lang));
  });

  test('inside a case: the summary first, sent only on yes, then the case goes on where it was', async () => {
    const { chat, desk } = await chatWithDesk(lang);
    await chat.say('Azure');
    let replies = await chat.say(PERSON[lang]);
    const shown = allText(replies);
    expect(shown).toContain(text('handoffSummary', lang));
    // Azure is a product of its own: the answer says so with its label, as the partner saw it.
    expect(shown).toContain(`${questionNames.product[lang]}: ${label('product', 'azure', lang)}`);
    expect(shown).toContain('- Azure');
    expect(shown).toContain(text('handoffConsent', lang));
    expect(desk.received).toHaveLength(0);

    replies = await chat.send(button(replies, text('handoffSend', lang)).press(chat.client));
    expect(allText(replies)).toContain(text('handoffSent', lang));
    expect(desk.received).toHaveLength(1);
    expect(posted(desk)).toContain('application/vnd.microsoft.card.adaptive');
    expect(posted(desk)).toContain(label('product', 'azure', lang));
    // The case goes on: its open question again, and its answer is taken.
    expect(allText(replies)).toContain(text('backToCase', lang));
    expect(asked(replies, 'program', lang)).toBe(true);
    replies = await chat.say(label('program', 'cspDirect', lang));
    expect(asked(replies, 'purchasedPlan', lang)).toBe(true);
  });

  test('a typed "no" sends nothing and the case goes on', async () => {
    const { chat, desk } = await chatWithDesk(lang);
    await chat.say('Azure');
    await chat.say(PERSON[lang]);
    const replies = await chat.say(NO[lang]);
    expect(allText(replies)).toContain(text('handoffNotSent', lang));
    expect(asked(replies, 'program', lang)).toBe(true);
    expect(desk.received).toHaveLength(0);
  });

  test('after two messages the bot could not read, it offers the hand-off; a typed yes sends it', async () => {
    const { chat, desk } = await chatWithDesk(lang);
    await chat.say('Azure');
    let replies = await chat.say(NONSENSE[lang][0]);
    expect(allText(replies)).toContain(text('retryChoice', lang));
    replies = await chat.say(NONSENSE[lang][1]);
    expect(allText(replies)).toContain(text('handoffOffer', lang));
    expect(allText(replies)).toContain(`- ${NONSENSE[lang][1]}`);
    replies = await chat.say(YES[lang]);
    expect(allText(replies)).toContain(text('handoffSent', lang));
    expect(posted(desk)).toContain(NONSENSE[lang][1]);
  });

  test('after a card: the route is in the summary; a failed delivery is said, with the window, and can be retried', async () => {
    const { chat, desk } = await chatWithDesk(lang, [500, 500]);
    await chat.say('Azure');
    await chat.say(label('program', 'cspDirect', lang));
    const card = await chat.say(label('purchasedPlan', 'none', lang));
    const routeId = chat.log.routeIds().at(-1);
    expect(routeId, allText(card)).toBeDefined();

    let replies = await chat.say(PERSON[lang]);
    expect(allText(replies)).toContain(`${text('handoffRoute', lang)}: ${routeId}`);
    replies = await chat.say(YES[lang]);
    expect(allText(replies)).toContain(say('handoffFailed', lang, { attempts: 2 }));
    expect(allText(replies)).toContain(supportWindow(lang));
    expect(desk.received).toHaveLength(2);

    // The desk is back: asking again delivers it.
    await chat.say(PERSON[lang]);
    replies = await chat.say(YES[lang]);
    expect(allText(replies)).toContain(text('handoffSent', lang));
    expect(desk.received).toHaveLength(3);
    expect(JSON.stringify(desk.received[2].body)).toContain(String(routeId));
  });
});

describe('hand-off safety', () => {
  test('a redelivered "yes" (the channel retried the turn) posts once and gives the same answer', async () => {
    const { chat, desk } = await chatWithDesk('en');
    await chat.say('Azure');
    const consent = await chat.say('talk to a person');
    const yes = button(consent, text('handoffSend', 'en')).press(chat.client);
    const first = await chat.send(yes);
    const again = await chat.send(yes);
    expect(allText(first)).toContain(text('handoffSent', 'en'));
    expect(allText(again)).toEqual(allText(first));
    expect(desk.received).toHaveLength(1);
    // the button pressed once more later (a new message): not a second post
    const later = await chat.send(button(consent, text('handoffSend', 'en')).press(chat.client));
    expect(allText(later)).toContain(text('staleSubmit', 'en'));
    expect(desk.received).toHaveLength(1);
    // the desk gets an idempotency key, not the conversation's address
    expect(desk.received[0].key).toMatch(/^[\w-]{32}$/);
    expect(posted(desk)).not.toContain(chat.client.conversation.id);
  });

  test('no token or webhook signature is shown or sent; other words are asked again, commands are themselves', async () => {
    const { chat, desk } = await chatWithDesk('en');
    await chat.say('Azure, my token is Bearer abc.def.ghi');
    let replies = await chat.say('talk to a person');
    expect(allText(replies)).not.toContain('abc.def.ghi');
    replies = await chat.say('purple monkey');
    expect(allText(replies)).toContain(text('handoffYesOrNo', 'en'));
    expect(allText(replies)).toContain(text('handoffConsent', 'en'));
    replies = await chat.say('OK');
    expect(allText(replies)).toContain(text('handoffSent', 'en'));
    expect(desk.received).toHaveLength(1);
    expect(posted(desk)).not.toMatch(/abc\.def\.ghi|SECRETSIG123/);

    await chat.say('talk to a person');
    replies = await chat.say('start over');
    expect(allText(replies)).toContain(text('handoffNotSent', 'en'));
    expect(allText(replies)).toContain(text('startOver', 'en'));
    expect(desk.received).toHaveLength(1);
  });
});

describe('SUPPORT_DESK_WEBHOOK_URL', () => {
  test('is off by default, https (or http to this machine) when set, and a wrong value stops start-up by name', () => {
    expect(loadSettings({}).handoff.url).toBeUndefined();
    const url = 'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x';
    expect(loadSettings({ SUPPORT_DESK_WEBHOOK_URL: url }).handoff.url).toBe(url);
    expect(
      loadSettings({ SUPPORT_DESK_WEBHOOK_URL: 'http://127.0.0.1:8080/hook' }).handoff.url,
    ).toBeDefined();
    expect(() => loadSettings({ SUPPORT_DESK_WEBHOOK_URL: 'http://desk.example.com/hook' })).toThrow(
      /SUPPORT_DESK_WEBHOOK_URL/,
    );
    expect(() => loadSettings({ SUPPORT_DESK_WEBHOOK_URL: 'not a url' })).toThrow(ConfigError);
  });
});
