import {
  MemoryTranscriptStore,
  TestAdapter,
  TranscriptLoggerMiddleware,
  type Activity,
  type StoreItem,
  type TurnContext,
} from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  runDialog,
  type DialogState,
  type WaterfallStep,
} from 'botbuilder-dialogs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import {
  ConditionalMemoryStorage,
  createStateStore,
  isETagConflict,
  storageMessages,
  stateVersionOf,
  type ConditionalStorage,
  type StateStore,
} from '../src/storage';
import { ConditionalBlobsStorage } from '../src/storage/blobs';
import { TurnPipeline } from '../src/pipeline';

const connectionString = inject('storageConnectionString');

/** Each blob test gets its own container, so runs and files never see each other's conversations. */
function blobStore(): ConditionalBlobsStorage {
  return new ConditionalBlobsStorage({
    connectionString,
    container: `state-${randomUUID()}`,
    timeoutMs: 5_000,
  });
}

const stores: [string, () => ConditionalStorage][] = [
  ['memory', () => new ConditionalMemoryStorage()],
  ['Azure Blob storage (Azurite)', blobStore],
];

/** Lets a test hold one turn between reading and saving its state while another turn runs. */
function gate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

/** One bot instance: its own adapter and state objects over the shared store, like a second process. */
function instance(
  store: ConditionalStorage,
  logic: (state: StateStore, context: TurnContext) => Promise<void>,
) {
  const state = createStateStore(store);
  const pipeline = new TurnPipeline({
    conversationState: state.conversationState,
    bot: { run: (context) => logic(state, context) },
    stateVersion: 'v1',
    languageOf: () => 'en',
  });
  const adapter = new TestAdapter((context) => pipeline.run(context), {
    conversation: { id: 'conversation-1', isGroup: false, conversationType: 'personal', name: '' },
    locale: 'en-US',
  });
  pipeline.attach(adapter);
  return { state, adapter, stats: () => ({ ...pipeline.stats }) };
}

/** The smallest stateful bot: counts the partner's messages and says the count. */
function counterBot(pauses: { wait: () => Promise<void> }[] = []) {
  let attempt = 0;
  return async (state: StateStore, context: TurnContext) => {
    const count = state.conversationState.createProperty<number>('messagesSeen');
    const seen = (await count.get(context, 0)) + 1;
    await count.set(context, seen);
    await context.sendActivity(`count ${seen}`);
    const pause = pauses[attempt++];
    if (pause) await pause.wait();
  };
}

function texts(adapter: TestAdapter): string[] {
  return adapter.activeQueue.splice(0).map((activity) => activity.text ?? '');
}

async function storedCount(store: ConditionalStorage): Promise<number | undefined> {
  const items = await store.read(['test/conversations/conversation-1/']);
  return (items['test/conversations/conversation-1/'] as { messagesSeen?: number } | undefined)?.messagesSeen;
}

describe.each(stores)('conditional writes on %s', (_name, makeStore) => {
  it('lets only the first of two writers that read the same state save', async () => {
    const store = makeStore();
    await store.writeIfUnchanged('k', { answer: 'first' }, null);
    const { k: read } = await store.read(['k']);
    const eTag = read!.eTag as string;
    await store.writeIfUnchanged('k', { answer: 'second' }, eTag);
    const lost = await store
      .writeIfUnchanged('k', { answer: 'third' }, eTag)
      .catch((error: unknown) => error);
    expect(isETagConflict(lost)).toBe(true);
    expect((await store.read(['k'])).k).toMatchObject({ answer: 'second' });
  });

  it('creates a conversation only once when two turns both found nothing stored', async () => {
    const store = makeStore();
    await store.writeIfUnchanged('new', { by: 'a' }, null);
    const lost = await store.writeIfUnchanged('new', { by: 'b' }, null).catch((error: unknown) => error);
    expect(isETagConflict(lost)).toBe(true);
    expect((await store.read(['new'])).new).toMatchObject({ by: 'a' });
  });
});

describe.each(stores)('turns of one conversation on two instances over %s', (_name, makeStore) => {
  it('re-runs the turn that lost the race on fresh state: no lost update, its replies sent once', async () => {
    const store = makeStore();
    const held = gate();
    const a = instance(store, counterBot([held]));
    const b = instance(store, counterBot());
    await b.adapter.processActivity('hello');
    texts(b.adapter);

    const turnA = a.adapter.processActivity('from a');
    await new Promise((resolve) => setTimeout(resolve, 50)); // a has read the state and sits before its save
    await b.adapter.processActivity('from b');
    held.open();
    await turnA;

    expect(texts(b.adapter)).toEqual(['count 2']);
    expect(texts(a.adapter)).toEqual(['count 3']);
    expect(await storedCount(store)).toBe(3);
    expect(a.stats()).toMatchObject({ conflicts: 1, retried: 1, gaveUp: 0 });
  });

  it('answers politely after a second conflict and keeps what the other turns stored', async () => {
    const store = makeStore();
    const first = gate();
    const second = gate();
    const a = instance(store, counterBot([first, second]));
    const b = instance(store, counterBot());

    const turnA = a.adapter.processActivity('from a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.adapter.processActivity('b wins the first race');
    first.open();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.adapter.processActivity('b wins the second race');
    second.open();
    await turnA;

    expect(texts(a.adapter)).toEqual([storageMessages.tooManyAtOnce.en]);
    expect(texts(b.adapter)).toEqual(['count 1', 'count 2']);
    expect(await storedCount(store)).toBe(2);
    expect(a.stats()).toMatchObject({ conflicts: 2, retried: 1, gaveUp: 1 });

    await a.adapter.processActivity('a again');
    expect(texts(a.adapter)).toEqual(['count 3']);
  });

  it('loses no message when many turns arrive on both instances at once', async () => {
    const store = makeStore();
    const a = instance(store, counterBot());
    const b = instance(store, counterBot());
    await a.adapter.processActivity('hello');
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      await Promise.all([a.adapter.processActivity('a'), b.adapter.processActivity('b')]);
    }
    const gaveUp = a.stats().gaveUp + b.stats().gaveUp;
    expect(gaveUp).toBe(0); // a pair conflicts at most once, and the re-run then wins
    expect(await storedCount(store)).toBe(1 + 2 * rounds);
    const counts = [...texts(a.adapter), ...texts(b.adapter)].map((text) =>
      Number(text.replace('count ', '')),
    );
    expect(counts.sort((x, y) => x - y)).toEqual(
      Array.from({ length: 1 + 2 * rounds }, (_, index) => index + 1),
    );
  });

  it('creates a new conversation once when its first two messages arrive together', async () => {
    const store = makeStore();
    const held = gate();
    const a = instance(store, counterBot([held]));
    const b = instance(store, counterBot());
    const turnA = a.adapter.processActivity('first');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.adapter.processActivity('second');
    held.open();
    await turnA;
    expect(await storedCount(store)).toBe(2);
    expect([...texts(a.adapter), ...texts(b.adapter)].sort()).toEqual(['count 1', 'count 2']);
  });
});

describe.each(stores)('a message the channel delivers again over %s', (_name, makeStore) => {
  const message = { type: 'message', id: 'm-1', text: 'Azure', timestamp: new Date() } as const;

  it('is not applied twice by the other instance, which answers what the first would have', async () => {
    const store = makeStore();
    const a = instance(store, counterBot());
    const b = instance(store, counterBot());
    await a.adapter.processActivity({ ...message });
    expect(texts(a.adapter)).toEqual(['count 1']);

    // a saved its state, then died before the channel got its answer: the channel retries on b
    await b.adapter.processActivity({ ...message });
    expect(texts(b.adapter)).toEqual(['count 1']);
    expect(await storedCount(store)).toBe(1);
    expect(b.stats().redelivered).toBe(1);

    await b.adapter.processActivity({ ...message, id: 'm-2', timestamp: new Date() });
    expect(texts(b.adapter)).toEqual(['count 2']);
  });

  it('is not applied twice when the same instance gets it again', async () => {
    const store = makeStore();
    const a = instance(store, counterBot());
    await a.adapter.processActivity({ ...message });
    await a.adapter.processActivity({ ...message });
    expect(texts(a.adapter)).toEqual(['count 1', 'count 1']);
    expect(await storedCount(store)).toBe(1);
  });
});

describe('replies of a discarded attempt', () => {
  it('never reach the transcript when the buffer middleware is registered first', async () => {
    const store = new ConditionalMemoryStorage();
    const held = gate();
    const a = instance(store, counterBot([held]));
    const transcripts = new MemoryTranscriptStore();
    a.adapter.use(new TranscriptLoggerMiddleware(transcripts));
    const b = instance(store, counterBot());

    const turnA = a.adapter.processActivity('from a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.adapter.processActivity('from b');
    held.open();
    await turnA;

    const logged = await transcripts.getTranscriptActivities('test', 'conversation-1');
    const botReplies = (logged.items as Activity[]).filter((activity) => activity.from.role !== 'user');
    expect(botReplies.map((activity) => activity.text)).toEqual(['count 2']);
  });
});

describe('a conversation state property', () => {
  it('stores a copy of its default, reads what was set, forgets what was deleted, and is saved', async () => {
    const store = new ConditionalMemoryStorage();
    const fallback = { seen: [] as string[] };
    const a = instance(store, async (state, context) => {
      const notes = state.conversationState.createProperty<{ seen: string[] }>('notes');
      const scratch = state.conversationState.createProperty<string>('scratch');
      const kept = await notes.get(context, fallback);
      kept.seen.push(context.activity.text ?? '');
      await scratch.set(context, 'temporary');
      expect(await scratch.get(context)).toBe('temporary');
      await scratch.delete(context);
      expect(await scratch.get(context)).toBeUndefined();
    });

    await a.adapter.processActivity('one');
    await a.adapter.processActivity('two');
    expect(fallback.seen).toEqual([]);
    const stored = await store.read(['test/conversations/conversation-1/']);
    expect(stored['test/conversations/conversation-1/']).toMatchObject({ notes: { seen: ['one', 'two'] } });
    expect(stored['test/conversations/conversation-1/']).not.toHaveProperty('scratch');
  });
});

describe('a turn that is not a message', () => {
  it('writes the state only when it changed it', async () => {
    const store = new ConditionalMemoryStorage();
    const writes: string[] = [];
    const writeIfUnchanged = store.writeIfUnchanged.bind(store);
    store.writeIfUnchanged = (key, item, expected) => {
      writes.push(key);
      return writeIfUnchanged(key, item, expected);
    };
    const joined = (name: string): Partial<Activity> => ({
      type: 'conversationUpdate',
      membersAdded: [{ id: name, name }],
    });
    const a = instance(store, async (state, context) => {
      const names = state.conversationState.createProperty<string[]>('joined');
      const seen = await names.get(context, []);
      const added = context.activity.membersAdded?.map((member) => member.id) ?? [];
      const fresh = added.filter((id) => !seen.includes(id));
      if (fresh.length > 0) await names.set(context, [...seen, ...fresh]);
    });

    await a.adapter.processActivity(joined('ann'));
    await a.adapter.processActivity(joined('ann'));
    expect(writes).toHaveLength(1);
    await a.adapter.processActivity(joined('bob'));
    expect(writes).toHaveLength(2);
    const stored = await store.read(['test/conversations/conversation-1/']);
    expect(stored['test/conversations/conversation-1/']).toMatchObject({ joined: ['ann', 'bob'] });
  });
});
describe('state written with Japanese text', () => {
  it('round-trips through the conditional blob write and stays readable by plain BlobsStorage', async () => {
    const container = `state-${randomUUID()}`;
    const store = new ConditionalBlobsStorage({ connectionString, container, timeoutMs: 5_000 });
    const key = 'msteams/conversations/a:1/';
    await store.writeIfUnchanged(key, { question: 'ご契約のサポートプランを教えてください' }, null);
    const plain = new BlobsStorage(connectionString, container);
    const read = (await plain.read([key]))[key] as StoreItem;
    expect(read.question).toBe('ご契約のサポートプランを教えてください');
    expect(read.eTag).toBe(((await store.read([key]))[key] as StoreItem).eTag);
  });
});

type CaseValues = { family?: string };

/** A tiny case dialog like the real ones: family, then product, then a summary, inside a component. */
function caseDialog(waterfallId = 'case', extraStep = false): ComponentDialog {
  const steps: WaterfallStep[] = [
    (step) => step.prompt('text', 'family?'),
    (step) => {
      (step.values as CaseValues).family = step.result as string;
      return step.prompt('text', 'product?');
    },
    async (step) => {
      await step.context.sendActivity(`route ${(step.values as CaseValues).family}/${step.result}`);
      return step.endDialog();
    },
  ];
  if (extraStep) steps.unshift((step) => step.next());
  const root = new ComponentDialog('main');
  root.addDialog(new WaterfallDialog(waterfallId, steps)); // the first one added is where the component starts
  root.addDialog(new TextPrompt('text'));
  return root;
}

const caseAnswers = z.object({ family: z.string() });

function caseInstance(
  store: ConditionalStorage,
  root: ComponentDialog,
  stateVersion = stateVersionOf({ dialogs: [root], answers: caseAnswers }),
) {
  const state = createStateStore(store);
  const dialogState = state.conversationState.createProperty<DialogState>('dialogState');
  const pipeline = new TurnPipeline({
    conversationState: state.conversationState,
    bot: { run: (context) => runDialog(root, context, dialogState) },
    stateVersion,
    languageOf: () => 'ja',
  });
  const adapter = new TestAdapter((context) => pipeline.run(context));
  pipeline.attach(adapter);
  return { adapter, stats: () => ({ ...pipeline.stats }) };
}

describe.each(stores)('a conversation saved by an older deploy on %s', (_name, makeStore) => {
  it('continues where it was after a restart with the same dialogs', async () => {
    const store = makeStore();
    await caseInstance(store, caseDialog())
      .adapter.send('hi')
      .assertReply('family?')
      .send('azure')
      .assertReply('product?');
    await caseInstance(store, caseDialog()).adapter.send('vm').assertReply('route azure/vm');
  });

  it('restarts politely when the answer schema changed', async () => {
    const store = makeStore();
    await caseInstance(store, caseDialog()).adapter.send('hi').assertReply('family?');
    const v2 = stateVersionOf({ dialogs: [caseDialog()], answers: z.object({ family: z.enum(['azure']) }) });
    const restarted = caseInstance(store, caseDialog(), v2);
    await restarted.adapter
      .send('azure')
      .assertReply(storageMessages.botUpdated.ja)
      .assertReply('family?')
      .send('azure')
      .assertReply('product?');
    expect(restarted.stats().restarted).toBe(1);
  });

  it('restarts politely when a waterfall gained a step', async () => {
    const store = makeStore();
    await caseInstance(store, caseDialog()).adapter.send('hi').assertReply('family?');
    await caseInstance(store, caseDialog('case', true))
      .adapter.send('azure')
      .assertReply(storageMessages.botUpdated.ja)
      .assertReply('family?');
  });

  it('restarts politely instead of crashing when the saved dialog no longer exists', async () => {
    const store = makeStore();
    await caseInstance(store, caseDialog('case')).adapter.send('hi').assertReply('family?');
    // the same version on purpose: the rename slipped past the fingerprint
    await caseInstance(
      store,
      caseDialog('caseRenamed'),
      stateVersionOf({ dialogs: [caseDialog('case')], answers: caseAnswers }),
    )
      .adapter.send('azure')
      .assertReply(storageMessages.botUpdated.ja)
      .assertReply('family?');
  });
});

describe('state version', () => {
  it('is the same for the same dialogs and changes when a dialog is renamed, reshaped or revised', () => {
    const version = (root: ComponentDialog, revision?: number) =>
      stateVersionOf({ dialogs: [root], answers: caseAnswers, revision });
    expect(version(caseDialog())).toBe(version(caseDialog()));
    expect(version(caseDialog('caseRenamed'))).not.toBe(version(caseDialog()));
    expect(version(caseDialog('case', true))).not.toBe(version(caseDialog()));
    expect(version(caseDialog(), 1)).not.toBe(version(caseDialog()));
    // a dialog beside the root one (one MainDialog begins) counts too
    const beside = stateVersionOf({ dialogs: [caseDialog(), caseDialog('helper')], answers: caseAnswers });
    expect(beside).not.toBe(version(caseDialog()));
  });
});

let azuriteReached = false;
beforeAll(async () => {
  azuriteReached = (await blobStore().read(['nothing'])) !== undefined;
});
afterAll(() => {
  expect(azuriteReached).toBe(true);
});
