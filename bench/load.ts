import http from 'node:http';
import type { Activity } from 'botbuilder';

/** What the simulated partner sends in one turn: typed text, or a card button's value (and maybe its title). */
export interface UserInput {
  text?: string;
  value?: Record<string, unknown>;
}

/** One whole conversation, from the opening message to the goal (the result card). */
export interface Conversation {
  readonly locale: string;
  /** The next thing to send, given the bot's replies to the previous one (none before the opening message). */
  next(replies: Partial<Activity>[]): UserInput | 'done';
}

export interface LoadOptions {
  messagesUrls: string[];
  concurrency: number;
  durationMs: number;
  /** A fresh conversation for worker `worker`; called again each time one finishes. */
  conversation: (worker: number) => Conversation;
  channelId: string;
  /** Conversation ids are unique per run; this keeps two runs against one process apart. */
  runId: string;
  /** Keep-alive connections to reuse across runs (one per target, as a channel keeps its connections open). */
  agent?: http.Agent;
}

export interface LoadStats {
  elapsedMs: number;
  turns: number;
  conversations: number;
  /** Turns of the conversations that reached their goal (those cut off by the deadline are not counted). */
  finishedTurns: number;
  errors: number;
  /** A few error descriptions, for the report. */
  errorSamples: string[];
  latenciesMs: number[];
}

export function emptyStats(): LoadStats {
  return {
    elapsedMs: 0,
    turns: 0,
    conversations: 0,
    finishedTurns: 0,
    errors: 0,
    errorSamples: [],
    latenciesMs: [],
  };
}

interface Reply {
  status: number;
  body: string;
}

function post(agent: http.Agent, url: URL, payload: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Plays whole conversations with `concurrency` partners at once for `durationMs`, over keep-alive HTTP. */
export async function runLoad(options: LoadOptions, into: LoadStats = emptyStats()): Promise<LoadStats> {
  const agent = options.agent ?? new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const urls = options.messagesUrls.map((url) => new URL(url));
  const started = performance.now();
  const deadline = started + options.durationMs;
  let sequence = 0;

  const fail = (message: string) => {
    into.errors++;
    if (into.errorSamples.length < 5) into.errorSamples.push(message);
  };

  const worker = async (index: number) => {
    while (performance.now() < deadline) {
      const conversation = options.conversation(index);
      const conversationId = `${options.runId}-${index}-${sequence++}`;
      let replies: Partial<Activity>[] = [];
      for (let turn = 0; performance.now() < deadline; turn++) {
        let input: UserInput | 'done';
        try {
          input = conversation.next(replies);
        } catch (error) {
          fail(`${conversationId} turn ${turn}: ${(error as Error).message}`);
          break;
        }
        if (input === 'done') {
          into.conversations++;
          into.finishedTurns += turn;
          break;
        }
        const activity = userActivity(
          input,
          { conversationId, userId: `partner-${index}`, activityId: `${conversationId}-${turn}` },
          options.channelId,
          conversation.locale,
        );
        const url = urls[turn % urls.length];
        const sent = performance.now();
        let reply: Reply;
        try {
          reply = await post(agent, url, JSON.stringify(activity));
        } catch (error) {
          fail(`${conversationId} turn ${turn}: ${(error as Error).message}`);
          break;
        }
        into.latenciesMs.push(performance.now() - sent);
        if (reply.status !== 200) {
          fail(`${conversationId} turn ${turn}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
          break;
        }
        into.turns++;
        replies = (JSON.parse(reply.body) as { activities?: Partial<Activity>[] }).activities ?? [];
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  into.elapsedMs += performance.now() - started;
  if (!options.agent) agent.destroy();
  return into;
}

/** The activity a partner's client posts for one turn, asking for the replies in the HTTP response. */
export function userActivity(
  input: UserInput,
  ids: { conversationId: string; userId: string; activityId: string },
  channelId: string,
  locale: string,
) {
  return {
    type: 'message',
    id: ids.activityId,
    timestamp: new Date().toISOString(),
    channelId,
    // never called back: expectReplies returns the replies in the response
    serviceUrl: 'http://127.0.0.1:9/',
    conversation: { id: ids.conversationId },
    from: { id: ids.userId, name: 'Partner' },
    recipient: { id: 'bot', name: 'Bot' },
    locale,
    deliveryMode: 'expectReplies',
    ...input,
  };
}

/** Plays one conversation to its end, one turn at a time; `afterTurn` sees each turn's replies. */
export async function playConversation(
  messagesUrl: string,
  conversation: Conversation,
  ids: { conversationId: string; userId: string },
  channelId: string,
  afterTurn?: (replies: Partial<Activity>[]) => void,
): Promise<number> {
  let replies: Partial<Activity>[] = [];
  for (let turn = 0; ; turn++) {
    const input = conversation.next(replies);
    if (input === 'done') return turn;
    const activity = userActivity(
      input,
      { ...ids, activityId: `${ids.conversationId}-${turn}` },
      channelId,
      conversation.locale,
    );
    const response = await fetch(messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (!response.ok) throw new Error(`turn ${turn}: HTTP ${response.status} ${await response.text()}`);
    replies = ((await response.json()) as { activities: Partial<Activity>[] }).activities;
    afterTurn?.(replies);
  }
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
