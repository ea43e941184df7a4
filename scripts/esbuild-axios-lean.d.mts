import type { Plugin } from 'esbuild';

/** Bundles axios with its multipart, redirect and proxy dependencies loaded on first use. */
export function axiosLean(): Plugin;
