// An esbuild plugin for the agent's Node bundles: axios is bundled (its ESM sources, tree-shaken) instead of
// loaded from node_modules, and three of its dependencies load only when a request actually needs them.
// axios's Node adapter imports them at the top, whatever the request:
//   form-data          multipart bodies (pulls in mime-types and mime-db, a 200 KB JSON parsed at load);
//                      the agent sends JSON and gzip only.
//   follow-redirects   only with maxRedirects > 0; the agent's client sets 0.
//   https-proxy-agent  only for an HTTPS target behind an HTTP(S)_PROXY (pulls in agent-base and debug).
// Each is replaced by a small module that requires the real package on first use, so nothing changes in
// behaviour: a proxy or a multipart body still works, and costs its memory only then. proxy-from-env (tiny,
// read on every request) stays a plain import.
import { createRequire } from 'node:module';

const LAZY = {
  'form-data': `
    export default class LazyFormData {
      constructor(...args) { const Real = load(); return new Real(...args); }
    }`,
  'https-proxy-agent': `
    export default class LazyHttpsProxyAgent {
      constructor(...args) { const Real = load(); return new Real(...args); }
    }`,
  'follow-redirects': `
    const transport = (name) => ({
      request: (...args) => load()[name].request(...args),
      get: (...args) => load()[name].get(...args),
    });
    export default { http: transport('http'), https: transport('https') };`,
};

/** @type {() => import('esbuild').Plugin} */
export function axiosLean() {
  const require = createRequire(import.meta.url);
  return {
    name: 'axios-lean',
    setup(build) {
      // Bundle axios's own ESM sources (the package's "default" export for Node).
      build.onResolve({ filter: /^axios$/ }, () => ({
        path: require.resolve('axios').replace(/dist[\\/]node[\\/]axios\.cjs$/, 'index.js'),
      }));
      build.onResolve({ filter: /^(form-data|follow-redirects|https-proxy-agent)$/ }, (args) =>
        /[\\/]node_modules[\\/]axios[\\/]/.test(args.importer)
          ? { path: args.path, namespace: 'axios-lazy' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'axios-lazy' }, (args) => ({
        contents: `
          import { createRequire } from 'node:module';
          let real = null;
          // Resolved from the bundle's folder at run time, like any external package.
          const load = () => (real ??= createRequire(import.meta.url)(${JSON.stringify(args.path)}));
          ${LAZY[args.path]}`,
        loader: 'js',
      }));
    },
  };
}
