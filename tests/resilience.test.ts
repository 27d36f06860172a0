import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TestAdapter, type Activity, type StoreItem, type StoreItems, type TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { route } from '../src/engine/route';
import { startBot, type RunningBot } from '../src/index';
import { getKnowledge } from '../src/knowledge/load';
import { createLogger } from '../src/logger';
import { conversationMessages } from '../src/messages/conversation';
import { securityMessages } from '../src/messages/security';
import { TurnPipeline } from '../src/pipeline';
import { ConditionalMemoryStorage, createStateStore } from '../src/storage';
import { languageFromLocale } from '../src/understand/locale';
import { startAzurite } from './helpers/azurite';
import { client, says, submits, type Client } from './helpers/channels';
import { allText } from './helpers/replies';

/** A user message of one conversation, as a channel delivers it. */
function message(conversationId: string, id: string, text: string, locale = 'en-US'): Partial<Activity> {
  return {
    type: 'message',
    id,
    text,
    locale,
    // a redelivery repeats the channel's timestamp (TestAdapter would stamp each delivery anew)
    timestamp: new Date('2026-11-30T09:00:00Z'),
    channelId: 'test',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'partner', name: 'Partner' },
    recipient: { id: 'bot', name: 'Bot' },
  };
}

/**
 * The real turn pipeline around a bot that keeps the answers it took in conversation state, and can be held
 * mid-turn (a slow turn) or made to fail once.
 */
function countingBot() {
  const store = createStateStore(new ConditionalMemoryStorage());
  const taken = store.conversationState.createProperty<string[]>('taken');
  /** Every run of the bot, replays included, in order. */
  const runs: string[] = [];
  let release: () => void = () => undefined;
  let hold: Promise<void> | undefined;
  let failNext = false;
  const bot = {
    async run(context: TurnContext) {
      const wait = hold;
      hold = undefined;
      if (wait) await wait;
      if (failNext) {
        failNext = false;
        throw new Error('storage hiccup');
      }
      runs.push(context.activity.text ?? '');
      const answers = await taken.get(context, []);
      answers.push(context.activity.text ?? '');
      await context.sendActivity(`took answer ${answers.length}`);
    },
  };
  const pipeline = new TurnPipeline({
    conversationState: store.conversationState,
    bot,
    stateVersion: 'v1',
    languageOf: (context) => languageFromLocale(context.activity.locale),
  });
  const adapter = new TestAdapter((context) => pipeline.run(context));
  pipeline.attach(adapter);
  return {
    adapter,
    pipeline,
    runs,
    holdNextTurn() {
      hold = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    failNextTurn: () => (failNext = true),
    /** The answers the conversation's saved state holds. */
    async stored(conversationId: string): Promise<string[] | undefined> {
      const key = `test/conversations/${conversationId}/`;
      return ((await store.storage.read([key]))[key] as { taken?: string[] } | undefined)?.taken;
    },
    /** Changes the conversation's saved state in place, as another version of the bot might have saved it. */
    async rewrite(conversationId: string, change: (state: Record<string, unknown>) => void): Promise<void> {
      const key = `test/conversations/${conversationId}/`;
      const items = await store.storage.read([key]);
      change(items[key] as Record<string, unknown>);
      await store.storage.write(items);
    },
    replies: () => adapter.activeQueue.splice(0).map((reply) => reply.text),
  };
}

describe('turn pipeline (one process)', () => {
  it('does not apply a redelivered activity twice, and answers it as the first time', async () => {
    const bot = countingBot();
    await bot.adapter.processActivity(message('c1', 'a1', 'azure'));
    await bot.adapter.processActivity(message('c1', 'a1', 'azure'));
    await bot.adapter.processActivity(message('c1', 'a2', 'cspDirect'));
    expect(await bot.stored('c1')).toEqual(['azure', 'cspDirect']);
    expect(bot.replies()).toEqual(['took answer 1', 'took answer 1', 'took answer 2']);
  });

  it('answers a redelivery the previous version took in (it kept the state before it as an object)', async () => {
    const bot = countingBot();
    await bot.adapter.processActivity(message('c1', 'a1', 'azure'));
    await bot.rewrite('c1', (state) => {
      const last = state.lastMessage as { before: unknown };
      expect(typeof last.before).toBe('string');
      last.before = JSON.parse(last.before as string);
    });
    await bot.adapter.processActivity(message('c1', 'a1', 'azure'));
    expect(await bot.stored('c1')).toEqual(['azure']);
    expect(bot.replies()).toEqual(['took answer 1', 'took answer 1']);
  });

  it('runs a redelivery again when the first delivery failed, after apologising for it', async () => {
    const bot = countingBot();
    bot.failNextTurn();
    await bot.adapter.processActivity(message('c1', 'a1', 'azure', 'ja-JP'));
    expect(bot.replies()).toEqual([conversationMessages.turnError.ja]);
    await bot.adapter.processActivity(message('c1', 'a1', 'azure', 'ja-JP'));
    expect(bot.replies()).toEqual(['took answer 1']);
    expect(await bot.stored('c1')).toEqual(['azure']);
  });

  it('answers a double-click with "one moment" in the user language and keeps the first answer', async () => {
    const bot = countingBot();
    bot.holdNextTurn();
    const first = bot.adapter.processActivity(message('c1', 'a1', 'gold', 'ja-JP'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(bot.pipeline.turnsInFlight).toBe(1);
    await bot.adapter.processActivity(message('c1', 'a2', 'silver', 'ja-JP'));
    expect(bot.adapter.activeQueue.map((reply) => reply.text)).toEqual([securityMessages.busy.ja]);
    bot.release();
    await first;
    await bot.pipeline.idle();
    expect(await bot.stored('c1')).toEqual(['gold']);
    expect(bot.replies()).toEqual([securityMessages.busy.ja, 'took answer 1']);
  });

  it('lets other conversations run while one turn is slow', async () => {
    const bot = countingBot();
    bot.holdNextTurn();
    const slow = bot.adapter.processActivity(message('slow', 'a1', 'first'));
    await new Promise((resolve) => setImmediate(resolve));
    await bot.adapter.processActivity(message('other', 'b1', 'second'));
    expect(bot.runs).toEqual(['second']);
    bot.release();
    await slow;
    expect(bot.runs).toEqual(['second', 'first']);
  });

  it('queues a non-message activity behind the running turn instead of dropping it', async () => {
    const bot = countingBot();
    bot.holdNextTurn();
    const first = bot.adapter.processActivity(message('c1', 'a1', 'first'));
    await new Promise((resolve) => setImmediate(resolve));
    const update = bot.adapter.processActivity({
      ...message('c1', 'u1', 'update'),
      type: 'conversationUpdate',
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(bot.runs).toEqual([]);
    bot.release();
    await Promise.all([first, update]);
    expect(bot.runs).toEqual(['first', 'update']);
  });
});

const knowledge = getKnowledge();
const prompt = (question: keyof typeof knowledge.questions, lang: 'ja' | 'en') =>
  knowledge.questions[question].prompt[lang];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Conversation state in memory, slow to read (as a remote store is), and able to fail its next write. */
class TestStorage extends ConditionalMemoryStorage {
  readDelayMs = 0;
  failNextWrite = false;

  override async read(keys: string[]): Promise<StoreItems> {
    if (this.readDelayMs) await sleep(this.readDelayMs);
    return super.read(keys);
  }

  override async writeIfUnchanged(key: string, item: StoreItem, expected: string | null): Promise<string> {
    this.failWrite();
    return super.writeIfUnchanged(key, item, expected);
  }

  override async write(changes: StoreItems): Promise<void> {
    this.failWrite();
    return super.write(changes);
  }

  private failWrite(): void {
    if (!this.failNextWrite) return;
    this.failNextWrite = false;
    throw new Error('storage unavailable');
  }
}

/** Log lines as objects. */
function logLines() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

async function send(
  bot: RunningBot,
  activity: Partial<Activity>,
): Promise<{ status: number; replies: Partial<Activity>[] }> {
  const response = await fetch(bot.messagesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { activities?: Partial<Activity>[] };
  return {
    status: response.status,
    replies: (body.activities ?? []).filter((reply) => reply.type === 'message'),
  };
}

describe('turns over real HTTP', () => {
  const storage = new TestStorage();
  const { lines, log } = logLines();
  let bot: RunningBot;

  beforeAll(async () => {
    // Web Chat calls back from a Bot Framework host; unauthenticated, the bot trusts it only when listed
    const env = { ALLOWED_SERVICE_HOSTS: 'botframework' };
    bot = await startBot({ env, config: loadConfig({}), storage, log, port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await bot?.close();
  });

  /** A partner at the "which support plan did you buy" question: Azure, advisor program. */
  async function atPurchasedPlan(c: Client): Promise<void> {
    const { replies } = await send(bot, says(c, 'Azure, we are an advisor partner'));
    expect(allText(replies)).toContain(prompt('purchasedPlan', c.locale.startsWith('ja') ? 'ja' : 'en'));
  }

  it('answers a redelivered message with the same replies and does not take the answer twice', async () => {
    const c = client('webchat', 'en-US');
    await atPurchasedPlan(c);
    const answer = submits(c, { verb: 'answer', question: 'purchasedPlan', option: 'none' });
    const first = await send(bot, answer);
    const again = await send(bot, answer);
    expect(allText(first.replies)).toContain(prompt('tier', 'en'));
    expect(allText(again.replies)).toBe(allText(first.replies));
    // the dialog moved on once: the tier question is still the one to answer
    const next = await send(bot, submits(c, { verb: 'answer', question: 'tier', option: 'gold' }));
    expect(allText(next.replies)).toContain(prompt('competency', 'en'));
  });

  it('runs a message delivered twice at the same moment once, and answers both deliveries alike', async () => {
    const c = client('webchat', 'en-US');
    await atPurchasedPlan(c);
    const answer = submits(c, { verb: 'answer', question: 'purchasedPlan', option: 'none' });
    storage.readDelayMs = 100;
    const [first, second] = await Promise.all([send(bot, answer), send(bot, answer)]);
    storage.readDelayMs = 0;
    expect(allText(first.replies)).toContain(prompt('tier', 'en'));
    expect(allText(second.replies)).toBe(allText(first.replies));
    const next = await send(bot, submits(c, { verb: 'answer', question: 'tier', option: 'gold' }));
    expect(allText(next.replies)).toContain(prompt('competency', 'en'));
  });

  it('takes one of two answers clicked at once, asks the other to wait, and loses nothing', async () => {
    const c = client('webchat', 'ja-JP');
    await atPurchasedPlan(c);
    storage.readDelayMs = 100;
    const [none, asfp] = await Promise.all([
      send(bot, submits(c, { verb: 'answer', question: 'purchasedPlan', option: 'none' })),
      send(bot, submits(c, { verb: 'answer', question: 'purchasedPlan', option: 'asfp' })),
    ]);
    storage.readDelayMs = 0;
    const busy = [none, asfp].filter((turn) => allText(turn.replies) === securityMessages.busy.ja);
    expect(busy).toHaveLength(1);
    // the winner's answer is kept: either the tier question (none) or the ASfP card (asfp)
    const asfpRoute = route({ family: 'azure', program: 'advisor', purchasedPlan: 'asfp' }, 'ja', knowledge);
    if (busy[0] === asfp) {
      expect(allText(none.replies)).toContain(prompt('tier', 'ja'));
      const next = await send(bot, submits(c, { verb: 'answer', question: 'tier', option: 'gold' }));
      expect(allText(next.replies)).toContain(prompt('competency', 'ja'));
    } else {
      expect(asfpRoute.kind === 'route' && none.replies.length === 1).toBe(true);
      expect(
        asfp.replies.some(
          (reply) => asfpRoute.kind === 'route' && reply.summary?.includes(asfpRoute.plan.name),
        ),
      ).toBe(true);
    }
  });

  it('apologises in the user language when a turn fails, logs it with the conversation id, and goes on', async () => {
    const c = client('webchat', 'ja-JP');
    await atPurchasedPlan(c);
    storage.failNextWrite = true;
    const failed = await send(bot, submits(c, { verb: 'answer', question: 'purchasedPlan', option: 'none' }));
    expect(failed.status).toBe(200);
    expect(allText(failed.replies)).toContain(conversationMessages.turnError.ja);
    const logged = lines.filter((line) => line.level === 50 && line.conversationId === c.conversation.id);
    expect(logged.length).toBeGreaterThan(0);
    const { replies } = await send(bot, says(c, 'Azure の問題、CSP 直接です'));
    expect(allText(replies)).toContain(prompt('purchasedPlan', 'ja'));
  });

  it('logs one line per finished case with the route id, for trainers', async () => {
    const c = client('webchat', 'ja-JP');
    lines.length = 0;
    await send(bot, says(c, 'Azure の問題、CSP 直接です'));
    expect(lines.filter((line) => line.event === 'caseFinished')).toEqual([]);
    await send(bot, submits(c, { verb: 'answer', question: 'purchasedPlan', option: 'none' }));
    const finished = lines.filter((line) => line.event === 'caseFinished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({
      routeId: 'azure/cloudSolutionProvider',
      conversationId: c.conversation.id,
      lang: 'ja',
      level: 30,
    });
  });

  it('reports liveness and storage on GET /healthz', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      storage: { reachable: true },
      turnsInFlight: 0,
    });
  });
});

describe('GET /healthz with blob storage', () => {
  it('says 503 "degraded" once the store cannot be reached, and ok while it can', async () => {
    const azurite = await startAzurite();
    const env = {
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      STORAGE_CONTAINER: 'health-check',
      STORAGE_TIMEOUT_MS: '1000',
    };
    const bot = await startBot({
      env,
      config: loadConfig({}),
      log: createLogger({ level: 'silent' }),
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const healthy = await fetch(`${bot.url}/healthz`);
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({ status: 'ok', storage: { reachable: true } });
      await azurite.stop();
      const unreachable = await fetch(`${bot.url}/healthz`);
      expect(unreachable.status).toBe(503);
      const report = (await unreachable.json()) as {
        status: string;
        storage: { reachable: boolean; error: string };
      };
      expect(report).toMatchObject({ status: 'degraded', storage: { reachable: false } });
      expect(report.storage.error).not.toContain('AccountKey');
    } finally {
      await bot.close();
      await azurite.stop();
    }
  });
});

describe('graceful shutdown of `tsx src/index.ts`', () => {
  let channel: Server;
  const received: Partial<Activity>[] = [];
  let arrived = 0;

  beforeAll(async () => {
    // a channel that takes its time to accept the bot's reply, so a turn is still running when SIGTERM comes
    channel = createServer((req, res) => {
      arrived++;
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        setTimeout(() => {
          received.push(JSON.parse(body) as Partial<Activity>);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `reply-${received.length}` }));
        }, 1_000);
      });
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    channel.closeAllConnections();
    await new Promise((resolve) => channel.close(resolve));
  });

  it('stops accepting, finishes the turn in flight, then exits 0', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        MicrosoftAppId: '',
        STORAGE_CONNECTION_STRING: '',
        STORAGE_CONTAINER: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const messagesUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          const listening = /"url":"(http:[^"]+\/api\/messages)"/.exec(output);
          if (listening) {
            clearTimeout(timer);
            resolve(listening[1]);
          }
        });
      });
      const c = client('emulator', 'en-US');
      const inFlight = fetch(messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...says(c, 'I need technical support'),
          serviceUrl: `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`,
        }),
      });
      // the turn is now waiting for the channel to accept its reply
      while (arrived === 0) await sleep(20);
      child.kill('SIGTERM');
      await sleep(200);
      const refused = await fetch(messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).then(
        () => 'accepted',
        () => 'refused',
      );
      expect(refused).toBe('refused');
      expect((await inFlight).status).toBe(200);
      expect(await exited).toBe(0);
      expect(allText(received)).toContain(prompt('family', 'en'));
      expect(output).toMatch(/"event":"shutdown"/);
      expect(output).toMatch(/"event":"shutdownComplete"/);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
