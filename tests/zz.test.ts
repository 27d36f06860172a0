import { test } from 'vitest';
import { getKnowledge } from '../src/knowledge/load';
import { interpret } from '../src/understand/interpretation';
import { client } from './helpers/channels';
import { TestChat } from './helpers/chat';
import { allText } from './helpers/replies';
test('x', async () => {
  console.log(JSON.stringify(interpret('business hours only', { lang: 'en' }, getKnowledge())));
  const chat = new TestChat(client('webchat', 'en-US'));
  for (const t of ['severity', 'business hours only']) {
    const r = await chat.say(t);
    console.log('>>', t, '\n', allText(r).slice(0, 300));
  }
});
