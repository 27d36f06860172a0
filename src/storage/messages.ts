import type { Text } from '../knowledge/schema';

/** What the storage layer says to a partner; every string in Japanese and English. */
export const storageMessages = {
  /** The conversation was saved by an older version of the bot whose questions no longer exist. */
  botUpdated: {
    ja: 'ボットが更新されたため、最初からやり直します。お手数ですが、もう一度お答えください。',
    en: 'The bot was updated, so let’s start again. Sorry for the trouble: please answer from the beginning.',
  },
  /** Two messages of this conversation were saved at the same moment twice in a row; this one was not applied. */
  tooManyAtOnce: {
    ja: '申し訳ありません。同時に複数のメッセージを受け取ったため、最後のメッセージを処理できませんでした。もう一度送信してください。',
    en: 'Sorry, several messages arrived at the same moment and I could not take your last one. Please send it again.',
  },
} satisfies Record<string, Text>;

export type StorageMessageId = keyof typeof storageMessages;
