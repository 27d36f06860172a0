import { Writable } from 'node:stream';
import { TestAdapter, type Activity } from 'botbuilder';
import { pino, type Logger } from 'pino';
import { createBot } from '../../src/index';
import { CaseEvents, type EventOptions } from '../../src/insights/events';
import type { HandoffWebhook } from '../../src/handoff/webhook';
import type { FeedbackStore } from '../../src/insights/feedback';
import { joins, says, submits, type Client } from './channels';

/** Log lines a test can read (the bot logs one `caseFinished` line with the route id per finished case). */
export class LogLines {
  readonly lines: Record<string, unknown>[] = [];
  readonly logger: Logger;

  constructor() {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    this.logger = pino({ level: 'info' }, sink);
  }

  /** Route ids of the cases finished so far, in order. */
  routeIds(): string[] {
    return this.lines.filter((line) => line.event === 'caseFinished').map((line) => String(line.routeId));
  }
}

/**
 * One conversation between a client and the real bot (the same dialogs, cards, knowledge and turn pipeline as
 * production: redelivery, serialisation, one save, reply capture), on botbuilder's TestAdapter.
 * Each call returns the replies of that turn.
 */
export class TestChat {
  readonly log = new LogLines();
  /** The trainers' events of this bot (its abandon watch can be swept by a test). */
  readonly events: CaseEvents;
  private readonly adapter: TestAdapter;

  constructor(
    readonly client: Client,
    options: EventOptions & { handoff?: HandoffWebhook; feedback?: FeedbackStore } = {},
  ) {
    this.events = new CaseEvents(this.log.logger, options);
    const { pipeline } = createBot({
      log: this.log.logger,
      events: this.events,
      handoff: options.handoff,
      feedback: options.feedback,
    });
    this.adapter = new TestAdapter((context) => pipeline.run(context));
    pipeline.attach(this.adapter);
  }

  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    await this.adapter.processActivity(activity);
    const replies: Partial<Activity>[] = [];
    for (let reply = this.adapter.getNextReply(); reply; reply = this.adapter.getNextReply())
      replies.push(reply);
    return replies.filter((reply) => reply.type === 'message');
  }

  join(): Promise<Partial<Activity>[]> {
    return this.send(joins(this.client));
  }

  say(text: string, options?: { mention?: boolean }): Promise<Partial<Activity>[]> {
    return this.send(says(this.client, text, options));
  }

  submit(value: Record<string, unknown>): Promise<Partial<Activity>[]> {
    return this.send(submits(this.client, value));
  }
}
