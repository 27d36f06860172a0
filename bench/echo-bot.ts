/**
 * The benchmark's ceiling: the smallest bot on our stack (restify + botbuilder CloudAdapter, as in the
 * BotBuilder-Samples echo bot) with no state, no dialogs and no cards. GET /healthz reports its resident memory.
 * Prints "listening on http://host:port" once it accepts requests.
 */
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new EchoBot();
const server = restify.createServer({ handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.get('/healthz', (_req, res, next) => {
  const cpu = process.cpuUsage();
  res.send(200, { status: 'ok', rssBytes: process.memoryUsage().rss, cpuMs: (cpu.user + cpu.system) / 1000 });
  next();
});

const host = process.env.HOST ?? '127.0.0.1';
server.listen(Number(process.env.PORT ?? 0), host, () => {
  const address = server.address();
  console.log(`listening on http://${host}:${address.port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
