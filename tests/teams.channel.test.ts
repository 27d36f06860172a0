import { describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang, QuestionId } from '../src/knowledge/schema';
import { client, says, type Client } from './helpers/channels';
import { TestChat } from './helpers/chat';
import { allText } from './helpers/replies';

/**
 * Several people @mention the bot in one Teams channel thread (or one group chat): each has their own case, so a
 * colleague's answers never land in another person's case. Personal chats keep one case per conversation.
 */

const knowledge = getKnowledge();

const label = (question: QuestionId, option: string, lang: Lang) =>
  knowledge.questions[question].options.find((entry) => entry.id === option)!.label[lang];

/** The questions of the knowledge file whose prompt the replies show. */
const asked = (replies: Partial<Activity>[], lang: Lang) =>
  (Object.keys(knowledge.questions) as QuestionId[]).filter((question) =>
    allText(replies).includes(knowledge.questions[question].prompt[lang]),
  );

/** A second person in the same conversation as `first`: same channel thread or group chat, another account. */
function colleague(first: Client, id: string, name: string): Client {
  return { ...first, user: { id, name, aadObjectId: `${id}-aad` } };
}

describe.each([
  ['teamsChannel', 'en', 'en-US'],
  ['teamsGroupChat', 'ja', 'ja-JP'],
] as const)('two people in one %s conversation', (kind, lang, locale) => {
  it('each reach their own route, their answers interleaved', async () => {
    const aiko = client(kind, locale);
    const ken = colleague(aiko, '29:ken', 'Ken Partner');
    const chat = new TestChat(aiko);
    const answer = (person: Client, question: QuestionId, option: string) =>
      chat.send(says(person, label(question, option, lang), { mention: true }));

    expect(asked(await answer(aiko, 'family', 'azure'), lang)).toEqual(['program']);
    expect(asked(await answer(ken, 'family', 'azure'), lang)).toEqual(['program']);
    expect(asked(await answer(aiko, 'program', 'cspDirect'), lang)).toEqual(['purchasedPlan']);
    expect(asked(await answer(ken, 'program', 'advisor'), lang)).toEqual(['purchasedPlan']);
    expect(asked(await answer(ken, 'purchasedPlan', 'psfp'), lang)).toEqual([]);
    expect(asked(await answer(aiko, 'purchasedPlan', 'none'), lang)).toEqual([]);
    expect(chat.log.routeIds()).toEqual(['azure/premierSupportForPartners', 'azure/cloudSolutionProvider']);
  });
});
