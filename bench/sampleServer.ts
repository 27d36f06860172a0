/**
 * What the benchmark's sample bots share with each other and with every BotBuilder-Samples bot: restify, a
 * CloudAdapter without credentials, POST /api/messages, plus GET /healthz with the process's resident memory and
 * CPU time (what the benchmark reads). Prints "listening on http://host:port" once it accepts requests.
 */
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';

export function serveSampleBot(run: (context: TurnContext) => Promise<void>): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, run);
  });
  server.get('/healthz', (_req, res, next) => {
    const cpu = process.cpuUsage();
    res.send(200, {
      status: 'ok',
      rssBytes: process.memoryUsage().rss,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
    next();
  });

  const host = process.env.HOST ?? '127.0.0.1';
  server.listen(Number(process.env.PORT ?? 0), host, () => {
    const address = server.address();
    console.log(`listening on http://${host}:${address.port}`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
