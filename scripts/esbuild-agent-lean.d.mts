import type { Plugin } from 'esbuild';

/** Bundles axios with its multipart, redirect and proxy dependencies, and its fetch probes, loaded on first use. */
export function axiosLean(): Plugin;
/** Bundles zod into the bundle instead of loading the package's modules from node_modules. */
export function zodBundled(): Plugin;
/** The Electron main process's plugins: axiosLean and zodBundled. */
export function agentMainPlugins(): Plugin[];
