import { describe, expect, test } from 'vitest';
import { Text } from '../src/knowledge/schema';
import { conversationMessages, say } from '../src/messages/conversation';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('conversation message catalogue', () => {
  test.each(Object.entries(conversationMessages))('%s exists in Japanese and English', (_id, message) => {
    expect(Text.safeParse(message).success).toBe(true);
    expect(placeholders(message.ja)).toEqual(placeholders(message.en));
  });

  test('Japanese messages are written in Japanese', () => {
    const notJapanese = Object.entries(conversationMessages)
      .filter(([, message]) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(message.ja))
      .map(([id]) => id);
    expect(notJapanese).toEqual([]);
  });

  test('say fills placeholders and leaves unknown ones visible', () => {
    expect(say('tooLong', 'en', { max: 5000 })).toContain('5000');
    expect(say('tooLong', 'ja', { max: 5000 })).toContain('5000');
    expect(say('tooLong', 'en')).toContain('{max}');
  });
});
