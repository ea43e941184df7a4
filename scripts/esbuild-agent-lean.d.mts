import type { BuildOptions } from 'esbuild';

/**
 * esbuild's options for every Node bundle: ESM for Node 20, packages external but axios (lean) and zod
 * (English messages only, with fastify-type-provider-zod), minified.
 */
export function nodeBundleOptions(): BuildOptions;
