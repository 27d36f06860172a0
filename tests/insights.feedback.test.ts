import { describe, expect, inject, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang, QuestionId } from '../src/knowledge/schema';
import { cardMessages } from '../src/messages/cards';
import { conversationMessages, type ConversationMessageId } from '../src/messages/conversation';
import { FeedbackStore, type FeedbackRecord } from '../src/insights/feedback';
import { ConditionalMemoryStorage, type ConditionalStorage } from '../src/storage';
import { ConditionalBlobsStorage } from '../src/storage/blobs';
import { client, says, submits } from './helpers/channels';
import { TestChat } from './helpers/chat';
import { adaptiveCards, allText, button } from './helpers/replies';

const knowledge = getKnowledge();
const LOCALE: Record<Lang, string> = { en: 'en-US', ja: 'ja-JP' };
const text = (id: ConversationMessageId, lang: Lang) => conversationMessages[id][lang];
const label = (question: QuestionId, option: string, lang: Lang) =>
  knowledge.questions[question].options.find((entry) => entry.id === option)?.label[lang] ?? option;
const today = () => new Date().toISOString().slice(0, 10);
const ROUTE = 'azure/cloudSolutionProvider';

/** A chat that reached the Azure / CSP (direct) answer card by typing, with its own feedback store. */
async function atAnswerCard(lang: Lang, options: { comments?: boolean } = {}) {
  const feedback = new FeedbackStore(new ConditionalMemoryStorage(), options);
  const chat = new TestChat(client('webchat', LOCALE[lang]), { feedback });
  await chat.say('Azure');
  await chat.say(label('program', 'cspDirect', lang));
  const card = await chat.say(label('purchasedPlan', 'none', lang));
  expect(chat.log.routeIds()).toEqual([ROUTE]);
  const stored = async () => (await feedback.read([today()])).records;
  return { chat, card, stored };
}

const feedbackEvents = (chat: TestChat) =>
  chat.log.lines
    .filter((line) => line.event === 'feedback')
    .map(({ routeId, helpful, reason }) => ({ routeId, helpful, reason }));

describe.each(['en', 'ja'] as Lang[])('"Did this answer your question?" (%s)', (lang) => {
  test('the answer card asks it; "yes" is stored with the route, the answers, the language and the channel', async () => {
    const { chat, card, stored } = await atAnswerCard(lang);
    expect(allText(card)).toContain(cardMessages.feedbackQuestion[lang]);
    const replies = await chat.send(button(card, cardMessages.feedbackYes[lang]).press(chat.client));
    expect(allText(replies)).toContain(text('feedbackThanks', lang));
    const records = await stored();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      routeId: ROUTE,
      helpful: true,
      answers: { family: 'azure', product: 'azure', program: 'cspDirect', purchasedPlan: 'none' },
      lang,
      channelId: 'webchat',
    });
    expect(feedbackEvents(chat)).toEqual([{ routeId: ROUTE, helpful: true, reason: undefined }]);
  });

  test('"no" asks what went wrong; the reason and the comment replace that vote; nothing else the partner typed is kept', async () => {
    const { chat, card, stored } = await atAnswerCard(lang);
    let replies = await chat.send(button(card, cardMessages.feedbackNo[lang]).press(chat.client));
    expect(allText(replies)).toContain(cardMessages.feedbackWhy[lang]);
    for (const reason of [
      'feedbackWrongRoute',
      'feedbackUnclearSteps',
      'feedbackMissingInformation',
      'feedbackOther',
    ] as const)
      expect(allText(replies)).toContain(cardMessages[reason][lang]);
    expect(allText(replies)).toContain(cardMessages.feedbackComment[lang]);
    expect(await stored()).toMatchObject([{ routeId: ROUTE, helpful: false }]);

    // The reason chosen and the comment typed come with the send button's data, as Teams and Web Chat send them.
    const send = button(replies, cardMessages.feedbackUnclearSteps[lang]).press(chat.client);
    replies = await chat.send({ ...send, value: { ...send.value, comment: ' step 3 has no link ' } });
    expect(allText(replies)).toContain(text('feedbackThanksReason', lang));
    const records = await stored();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      helpful: false,
      reason: 'unclearSteps',
      comment: 'step 3 has no link',
    });
    expect(JSON.stringify(records)).not.toContain(label('program', 'cspDirect', lang));
    expect(feedbackEvents(chat).at(-1)).toEqual({ routeId: ROUTE, helpful: false, reason: 'unclearSteps' });
  });
});

describe('feedback, more', () => {
  test('FEEDBACK_COMMENTS=off: no comment box, and a comment sent anyway is not stored', async () => {
    const { chat, card, stored } = await atAnswerCard('en', { comments: false });
    const replies = await chat.send(button(card, cardMessages.feedbackNo.en).press(chat.client));
    expect(JSON.stringify(adaptiveCards(replies))).not.toContain('Input.Text');
    await chat.send(
      submits(chat.client, {
        verb: 'feedback',
        outcome: ROUTE,
        helpful: 'no',
        step: 'reason',
        reason: 'other',
        comment: 'call me on 0312345678',
      }),
    );
    expect((await stored())[0]).not.toHaveProperty('comment');
  });

  test('channels without cards: the question and the reasons are numbered lists a typed answer picks from', async () => {
    const { chat, stored } = await (async () => {
      const feedback = new FeedbackStore(new ConditionalMemoryStorage());
      const sms = new TestChat(client('webchat', 'en-US'), { feedback });
      return { chat: sms, stored: async () => (await feedback.read([today()])).records };
    })();
    const say = (typed: string) => chat.send({ ...says(chat.client, typed), channelId: 'sms' });
    await say('Azure');
    await say('CSP (direct)');
    const card = await say('No purchased plan');
    expect(allText(card)).toContain(`${cardMessages.feedbackQuestion.en}\n1. Yes\n2. No`);
    const reasons = await say('no');
    expect(allText(reasons)).toContain(`${cardMessages.feedbackWhy.en}\n1. Wrong route`);
    const thanks = await say('3');
    expect(allText(thanks)).toContain(text('feedbackThanksReason', 'en'));
    expect(await stored()).toMatchObject([
      { helpful: false, reason: 'missingInformation', channelId: 'sms' },
    ]);
  });

  test('a pressed vote in the middle of a later case is taken, and the question on screen comes again', async () => {
    const { chat, card, stored } = await atAnswerCard('en');
    await chat.say('Azure');
    const replies = await chat.send(button(card, cardMessages.feedbackYes.en).press(chat.client));
    expect(allText(replies)).toContain(text('feedbackThanks', 'en'));
    expect(allText(replies)).toContain(knowledge.questions.program.prompt.en);
    expect(await stored()).toHaveLength(1);
  });

  test('a tampered vote is refused politely and stores nothing', async () => {
    const { chat, stored } = await atAnswerCard('en');
    for (const value of [
      { verb: 'feedback', outcome: '<script>', helpful: 'yes' },
      { verb: 'feedback', outcome: ROUTE, helpful: 'maybe' },
      { verb: 'feedback', outcome: ROUTE, helpful: 'no', step: 'reason', reason: 'hate' },
      { verb: 'feedback', outcome: ROUTE, helpful: 'no', comment: 42 },
    ]) {
      const replies = await chat.send(submits(chat.client, value));
      expect(allText(replies)).toContain(text('staleSubmit', 'en'));
    }
    expect(await stored()).toEqual([]);
  });
});

/** Two bot instances (two stores on one storage) adding at once: every record is kept. */
async function concurrentAdds(shared: ConditionalStorage) {
  const instances = [new FeedbackStore(shared), new FeedbackStore(shared)];
  const at = new Date().toISOString();
  const records: FeedbackRecord[] = Array.from({ length: 12 }, (_, index) => ({
    at,
    vote: `vote-${index}`,
    routeId: ROUTE,
    helpful: index % 2 === 0,
    answers: {},
    lang: 'en',
  }));
  await Promise.all(records.map((record, index) => instances[index % 2].add(record)));
  const { records: kept } = await instances[0].read([at.slice(0, 10)]);
  expect(kept.map((record) => record.vote).sort()).toEqual(records.map((record) => record.vote).sort());
}

describe('the feedback store (eTag-safe, like conversation state)', () => {
  test("keeps a day's first votes up to its limit, counts the later ones, and still takes the reason of a kept vote", async () => {
    const storage = new ConditionalMemoryStorage();
    const store = new FeedbackStore(storage, { maxRecordsPerDay: 3 });
    const at = '2026-12-01T10:00:00.000Z';
    const vote = (index: number, change: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
      at,
      vote: `vote-${index}`,
      routeId: ROUTE,
      helpful: true,
      answers: {},
      lang: 'en',
      ...change,
    });
    for (const index of [1, 2, 3, 4, 5]) await store.add(vote(index));
    await store.add(vote(2, { helpful: false, reason: 'unclearSteps', comment: 'step 3 has no link' }));
    const day = await store.read(['2026-12-01']);
    expect(day.records.map((record) => record.vote)).toEqual(['vote-1', 'vote-2', 'vote-3']);
    expect(day.records[1]).toMatchObject({ helpful: false, comment: 'step 3 has no link' });
    expect(day.dropped).toBe(2);
    // the item itself stays at three records: the reason replaced the vote's first record
    const item = (await storage.read(['feedback-2026-12-01']))['feedback-2026-12-01'] as {
      records: unknown[];
    };
    expect(item.records).toHaveLength(3);
    expect(await store.read(['2026-12-02'])).toEqual({ records: [], dropped: 0 });
  });

  test('in memory: records written at once by two instances are all kept', async () => {
    const shared = new ConditionalMemoryStorage();
    await concurrentAdds(shared);
  });

  test('in Azure Blob storage (Azurite), in its own container: all kept', async () => {
    const shared = new ConditionalBlobsStorage({
      connectionString: inject('storageConnectionString'),
      container: `feedback-${randomUUID()}`,
      timeoutMs: 5_000,
    });
    await concurrentAdds(shared);
  });
});
