import { ContainerClient } from '@azure/storage-blob';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { describe, expect, inject, it } from 'vitest';
import { StorageError, loadStorageSettings, openStateStore } from '../src/storage';

const connectionString = inject('storageConnectionString');

/** A port nobody listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('storage settings', () => {
  it('keep state in memory when nothing is configured (the quick start)', () => {
    expect(loadStorageSettings({})).toEqual({ kind: 'memory' });
    expect(loadStorageSettings({ STORAGE_CONNECTION_STRING: '', STORAGE_CONTAINER: '' })).toEqual({
      kind: 'memory',
    });
  });

  it('use Azure Blob storage with a connection string and a container', () => {
    expect(
      loadStorageSettings({ STORAGE_CONNECTION_STRING: connectionString, STORAGE_CONTAINER: 'bot-state' }),
    ).toEqual({
      kind: 'blobs',
      connectionString,
      container: 'bot-state',
      transcriptContainer: 'bot-state-transcripts',
      timeoutMs: 5_000,
    });
  });

  const accountKey = /AccountKey=([^;]+)/.exec(connectionString)?.[1] ?? 'no key';
  it.each([
    [
      'a connection string without a container',
      { STORAGE_CONNECTION_STRING: connectionString },
      'STORAGE_CONTAINER',
    ],
    [
      'a container without a connection string',
      { STORAGE_CONTAINER: 'bot-state' },
      'STORAGE_CONNECTION_STRING',
    ],
    [
      'a container name Azure would refuse',
      { STORAGE_CONNECTION_STRING: connectionString, STORAGE_CONTAINER: 'Bot_State' },
      'STORAGE_CONTAINER',
    ],
    [
      'a URL instead of a connection string',
      { STORAGE_CONNECTION_STRING: 'https://example.invalid', STORAGE_CONTAINER: 'bot-state' },
      'STORAGE_CONNECTION_STRING',
    ],
    [
      'a timeout that is not a number',
      {
        STORAGE_CONNECTION_STRING: connectionString,
        STORAGE_CONTAINER: 'bot-state',
        STORAGE_TIMEOUT_MS: 'soon',
      },
      'STORAGE_TIMEOUT_MS',
    ],
  ])('refuse %s in one line that names %s and no secret', (_case, env: Record<string, string>, named) => {
    expect(() => loadStorageSettings(env)).toThrow(StorageError);
    const message = (() => {
      try {
        loadStorageSettings(env);
        return '';
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(message).toContain(named);
    expect(message).not.toContain('\n');
    expect(message).not.toContain(accountKey);
  });
});

describe('opening the store at start-up', () => {
  it('creates the container when it does not exist yet', async () => {
    const container = `state-${randomUUID()}`;
    const settings = loadStorageSettings({
      STORAGE_CONNECTION_STRING: connectionString,
      STORAGE_CONTAINER: container,
    });
    const store = await openStateStore(settings);
    expect(store.kind).toBe('blobs');
    expect(await new ContainerClient(connectionString, container).exists()).toBe(true);
    expect(await store.checkStorage()).toMatchObject({ kind: 'blobs' });
  });

  it('reports later, for the health endpoint, that the container is gone', async () => {
    const container = `state-${randomUUID()}`;
    const settings = loadStorageSettings({
      STORAGE_CONNECTION_STRING: connectionString,
      STORAGE_CONTAINER: container,
    });
    const store = await openStateStore(settings);
    await new ContainerClient(connectionString, container).delete();
    await expect(store.checkStorage()).rejects.toThrow(StorageError);
  });

  it('fails in one line when nothing answers at the storage address', async () => {
    const port = await closedPort();
    const unreachable = connectionString.replace(
      /BlobEndpoint=http:\/\/[^/]+/,
      `BlobEndpoint=http://127.0.0.1:${port}`,
    );
    const settings = loadStorageSettings({
      STORAGE_CONNECTION_STRING: unreachable,
      STORAGE_CONTAINER: 'bot-state',
      STORAGE_TIMEOUT_MS: '2000',
    });
    const error = await openStateStore(settings).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(
      /^Storage unreachable: container "bot-state" at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('fails in one line when the storage address accepts connections but never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const settings = loadStorageSettings({
        STORAGE_CONNECTION_STRING: connectionString.replace(
          /BlobEndpoint=http:\/\/[^/]+/,
          `BlobEndpoint=http://127.0.0.1:${port}`,
        ),
        STORAGE_CONTAINER: 'bot-state',
        STORAGE_TIMEOUT_MS: '300',
      });
      const error = await openStateStore(settings).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toMatch(
        /^Storage unreachable: no answer from container "bot-state" .* within 300 ms$/,
      );
    } finally {
      silent.close();
      // the socket the store left open would keep close() waiting
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('fails in one line, without the key, when the account key is wrong', async () => {
    const wrongKey = connectionString.replace(
      /AccountKey=[^;]+/,
      `AccountKey=${Buffer.from('not the key').toString('base64')}`,
    );
    const settings = loadStorageSettings({
      STORAGE_CONNECTION_STRING: wrongKey,
      STORAGE_CONTAINER: 'bot-state',
    });
    const error = await openStateStore(settings).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/refused access/);
    expect((error as Error).message).not.toContain(Buffer.from('not the key').toString('base64'));
  });

  it('needs nothing for memory storage', async () => {
    const store = await openStateStore({ kind: 'memory' });
    expect(store.kind).toBe('memory');
    expect(store.createTranscriptStore()).toBeUndefined();
  });
});

describe('transcripts with blob storage', () => {
  it('go to BlobsTranscriptStore in their own container', async () => {
    const container = `state-${randomUUID()}`;
    const store = await openStateStore(
      loadStorageSettings({ STORAGE_CONNECTION_STRING: connectionString, STORAGE_CONTAINER: container }),
    );
    const transcripts = store.createTranscriptStore();
    expect(transcripts).toBeDefined();
    await transcripts!.logActivity({
      type: 'message',
      id: 'm1',
      text: 'Azure のサポートを受けたい',
      timestamp: new Date(),
      channelId: 'msteams',
      conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'u1', name: 'partner', role: 'user' },
      recipient: { id: 'bot', name: 'bot' },
      serviceUrl: 'https://example.invalid',
    } as Activity);
    const logged = await transcripts!.getTranscriptActivities('msteams', 'c1');
    expect(logged.items.map((activity) => activity.text)).toEqual(['Azure のサポートを受けたい']);
    expect(await new ContainerClient(connectionString, `${container}-transcripts`).exists()).toBe(true);
  });
});
