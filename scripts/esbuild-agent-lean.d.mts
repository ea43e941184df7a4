import type { BuildOptions, Plugin } from 'esbuild';

/** Bundles axios with its multipart, redirect and proxy dependencies, and its fetch probes, loaded on first use. */
export function axiosLean(): Plugin;
/** Bundles zod (English messages only) and fastify-type-provider-zod instead of loading the packages. */
export function zodBundled(): Plugin;
/** Every Node bundle's plugins: axiosLean and zodBundled. */
export function agentMainPlugins(): Plugin[];
/** esbuild's options for every Node bundle: ESM for Node 20, packages external but axios and zod, no whitespace. */
export function nodeBundleOptions(): BuildOptions;
