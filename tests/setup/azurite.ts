import type { TestProject } from 'vitest/node';
import { startAzurite } from '../helpers/azurite';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Blob storage for the storage tests: Azurite started here, or the store STORAGE_CONNECTION_STRING names. */
    storageConnectionString: string;
  }
}

/** vitest globalSetup: one in-memory Azurite for the whole run, unless a store is already configured. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.STORAGE_CONNECTION_STRING;
  if (configured) {
    project.provide('storageConnectionString', configured);
    return async () => {};
  }
  const azurite = await startAzurite();
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
