import type { AddressInfo } from 'node:net';
import restify from 'restify';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type Activity,
  type Middleware,
} from 'botbuilder';

/**
 * A tiny stand-in bot on the same stack (CloudAdapter on restify) for channel tests:
 * a welcome with suggested actions, a hero card question, and an Adaptive Card "result" with a route id and steps.
 * "fail" throws (no onTurnError), "slow" takes 2 s. It records every activity it received.
 */
export class EchoBot extends ActivityHandler {
  readonly received: Partial<Activity>[] = [];

  constructor() {
    super();
    this.onTurn(async (context, next) => {
      this.received.push({ ...context.activity });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const ja = isJa(context.activity.locale);
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id === context.activity.recipient.id) continue;
        await context.sendActivity(
          MessageFactory.suggestedActions(
            ja ? ['Azure', 'オンプレミス'] : ['Azure', 'On-premises'],
            ja ? 'ようこそ。製品を選んでください。' : 'Welcome! Pick a product.',
          ),
        );
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      const ja = isJa(context.activity.locale);
      const value = context.activity.value as { tier?: string } | undefined;
      const text = (context.activity.text ?? '').trim();
      if (text === 'fail') throw new Error('this turn fails on purpose');
      if (text === 'slow') await new Promise((resolve) => setTimeout(resolve, 2000));
      if (text === 'Azure' || text === 'On-premises' || text === 'オンプレミス') {
        const hero = CardFactory.heroCard(ja ? 'パートナー レベルは?' : 'Your partner tier?', undefined, [
          { type: 'imBack', title: ja ? 'シルバー' : 'Silver', value: 'silver' },
          { type: 'imBack', title: ja ? 'ゴールド' : 'Gold', value: 'gold' },
        ]);
        await context.sendActivity(MessageFactory.attachment(hero));
      } else if (text === 'silver' || text === 'gold' || value?.tier) {
        await context.sendActivity(MessageFactory.attachment(resultCard(ja, value?.tier ?? text)));
      } else {
        await context.sendActivity(`${ja ? 'エコー' : 'Echo'}: ${text}`);
      }
      await next();
    });
  }
}

const isJa = (locale: string | undefined) => /^ja\b/i.test(locale ?? '');

function resultCard(ja: boolean, tier: string) {
  const steps = ja
    ? [
        'Azure ポータルにサインインします。',
        'ヘルプとサポートを開きます。',
        `${tier} の特典で依頼を作成します。`,
      ]
    : ['Sign in to the Azure portal.', 'Open Help + support.', `File the request with your ${tier} benefit.`];
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    id: 'route:azure/signatureCloudSupport',
    body: [
      {
        type: 'TextBlock',
        text: ja ? 'サポートの依頼方法' : 'How to get support',
        weight: 'Bolder',
        size: 'Medium',
      },
      ...steps.map((step, index) => ({ type: 'TextBlock', text: `${index + 1}. ${step}`, wrap: true })),
    ],
    actions: [
      { type: 'Action.Submit', title: ja ? '最初から' : 'Start over', data: { action: 'startOver' } },
    ],
  });
}

export interface EchoServer {
  url: string;
  server: restify.Server;
  adapter: CloudAdapter;
  bot: EchoBot;
  close(): Promise<void>;
}

/** Starts the echo bot on 127.0.0.1, port 0; `extend` adds the routes under test before it listens. */
export async function startEchoServer(
  extend: (server: restify.Server, adapter: CloudAdapter, bot: EchoBot) => void,
  middleware: Middleware[] = [],
): Promise<EchoServer> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  for (const m of middleware) adapter.use(m);
  const bot = new EchoBot();
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.post('/api/messages', restify.plugins.bodyParser({ mapParams: false }), async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  extend(server, adapter, bot);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    adapter,
    bot,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
