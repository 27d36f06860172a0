import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { client, says } from './helpers/channels';
import { FakeChannel, startAzuriteCluster, type BotInstance, type Cluster } from './helpers/azuriteCluster';

const entry = 'tests/helpers/azuriteStandInBot.ts';
const connectionString = inject('storageConnectionString');

let cluster: Cluster;
const channel = new FakeChannel();

beforeAll(async () => {
  await channel.start();
  cluster = await startAzuriteCluster({ connectionString, entry });
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  await channel.close();
});

/** One partner's conversation in the Emulator, whichever instance the load balancer picks for each message. */
function conversation() {
  const partner = client('emulator');
  return {
    message: (text: string) => says(partner, text),
    /** Sends one message and returns the texts of the bot's replies to it. */
    async say(instance: BotInstance, text: string): Promise<string[]> {
      const { status, replies } = await channel.send(instance, says(partner, text));
      expect(status, instance.output()).toBe(200);
      return replies.map((reply) => reply.text ?? '');
    },
  };
}

describe('two bot processes sharing one blob container', () => {
  it('finish one conversation whose messages alternate between them', async () => {
    const [a, b] = cluster.instances;
    const partner = conversation();
    expect(await partner.say(a!, 'hello')).toEqual(['family?']);
    expect(await partner.say(b!, 'azure')).toEqual(['product?']);
    expect(await partner.say(a!, 'vm')).toEqual(['route azure/vm']);
  });

  it('lose no answer when two messages of one conversation reach both at the same moment', async () => {
    const [a, b] = cluster.instances;
    for (let round = 0; round < 5; round++) {
      const partner = conversation();
      await partner.say(a!, 'hello');
      const [first, second] = await Promise.all([partner.say(a!, 'azure'), partner.say(b!, 'vm')]);
      const replies = [...first, ...second];
      // either order is right; a lost answer would leave the case waiting for "product?"
      expect(replies.filter((text) => text.startsWith('route '))).toHaveLength(1);
      expect(['route azure/vm', 'route vm/azure']).toContain(
        replies.find((text) => text.startsWith('route ')),
      );
    }
  });

  it('keep every conversation where it was when both are restarted', async () => {
    const [a, b] = cluster.instances;
    const atFamily = conversation();
    const atProduct = conversation();
    await atFamily.say(a!, 'hello');
    await atProduct.say(b!, 'hello');
    await atProduct.say(a!, 'microsoft365');

    await Promise.all(cluster.instances.splice(0).map((instance) => instance.stop()));
    const [c, d] = [await cluster.addInstance(), await cluster.addInstance()];

    expect(await atFamily.say(d!, 'dynamics365')).toEqual(['product?']);
    expect(await atProduct.say(c!, 'teams')).toEqual(['route microsoft365/teams']);
  });

  it('let the other finish a conversation when one is killed mid-conversation', async () => {
    const [a, b] = cluster.instances;
    const partner = conversation();
    await partner.say(a!, 'hello');
    await partner.say(b!, 'azure');
    await a!.kill();
    cluster.instances.splice(cluster.instances.indexOf(a!), 1);
    expect(await partner.say(b!, 'vm')).toEqual(['route azure/vm']);
  });

  it('answer a message again, not apply it twice, when the instance that saved it dies before answering', async () => {
    const a = await cluster.addInstance();
    const b = cluster.instances[0]!;
    const partner = conversation();
    await partner.say(a, 'hello');
    const inFlight = partner.message('azure');
    const saved = channel.holdReplyTo(inFlight.id!);
    const lost = channel.send(a, inFlight).catch(() => undefined);
    await saved;
    await a.kill();
    await lost;
    // the channel got no answer from a, so it delivers the same activity again, to b
    const retried = await channel.send(b, inFlight);
    expect(retried.status).toBe(200);
    expect(retried.replies.at(-1)?.text).toBe('product?');
    expect(await partner.say(b, 'vm')).toEqual(['route azure/vm']);
    cluster.instances.splice(cluster.instances.indexOf(a), 1);
  });
});
