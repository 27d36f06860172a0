/** Types of scripts/build.mjs for the TypeScript that imports it (the benchmark). */
export function isStale(): boolean;
export function bundle(entryPoints: Record<string, string>, outdir: string): Promise<void>;
export function build(outdir?: string): Promise<void>;
