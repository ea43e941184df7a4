// esbuild plugins that keep the always-running agent small (its idle RSS is a bench target).
//
// axiosLean, for every agent-side Node bundle: axios is bundled (its ESM sources, tree-shaken) instead of
// loaded from node_modules, and three of its dependencies load only when a request actually needs them.
// axios's Node adapter imports them at the top, whatever the request:
//   form-data          multipart bodies (pulls in mime-types and mime-db, a 200 KB JSON parsed at load);
//                      the agent sends JSON and gzip only.
//   follow-redirects   only with maxRedirects > 0; the agent's client sets 0.
//   https-proxy-agent  only for an HTTPS target behind an HTTP(S)_PROXY (pulls in agent-base and debug).
//   http2              Node's HTTP/2 module, only for a request with httpVersion 2; the agent speaks HTTP/1.1.
//                      Loading it compiles node's http2 core (~0.8 MB of RSS).
// Each is replaced by a small module that requires the real package on first use, so nothing changes in
// behaviour: a proxy or a multipart body still works, and costs its memory only then. proxy-from-env (tiny,
// read on every request) stays a plain import. Two probes of Node's fetch globals that axios runs at load
// are made lazy too, and its request clock no longer loads perf_hooks (AXIOS_PATCHES).
//
// zodBundled, for every Node bundle: zod bundled in, English messages only (see below).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';

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
  // The members axios reads, when it reads them (HTTP2_MEMBERS: the build fails if it starts reading others).
  http2: `
    export default {
      get constants() { return load().constants; },
      connect: (...args) => load().connect(...args),
    };`,
};
const HTTP2_MEMBERS = new Set(['constants', 'connect']);

const AXIOS_PATCHES = [
  // isFormData: instanceof the global FormData first, then the value's toStringTag, which a native FormData
  // also has ('[object FormData]'), so the instanceof shortcut can go.
  {
    file: 'lib/utils.js',
    eager: "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
    lazy: 'const FormDataCtor = undefined;',
  },
  // The fetch adapter's default export, built at load and read by nobody: axios calls getFetch(config) when
  // an adapter is chosen, and the agent's client chooses 'http'.
  { file: 'lib/adapters/fetch.js', eager: 'const adapter = getFetch();', lazy: 'const adapter = undefined;' },
  // The clock axios times each request with (response.duration): `performance.now()`, whose first use loads
  // Node's perf_hooks and a dozen modules behind it (0.7 MB of the daemon's RSS). process.hrtime is the same
  // monotonic clock in milliseconds, and already loaded.
  {
    file: 'lib/core/dispatchRequest.js',
    eager: `  return typeof performance !== 'undefined' && utils.isFunction(performance.now)
    ? () => performance.now()
    : Date.now;`,
    lazy: '  return () => Number(process.hrtime.bigint()) / 1e6;',
  },
];

/** @type {() => import('esbuild').Plugin} */
function axiosLean() {
  const require = createRequire(import.meta.url);
  return {
    name: 'axios-lean',
    setup(build) {
      // Bundle axios's own ESM sources (the package's "default" export for Node).
      build.onResolve({ filter: /^axios$/ }, () => ({
        path: require.resolve('axios').replace(/dist[\\/]node[\\/]axios\.cjs$/, 'index.js'),
      }));
      build.onResolve({ filter: /^(form-data|follow-redirects|https-proxy-agent|http2)$/ }, (args) =>
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
      // The lazy http2 has only the members axios uses today: any other is a build error, not undefined.
      build.onLoad({ filter: /[\\/]node_modules[\\/]axios[\\/]lib[\\/].*\.js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!/from 'http2'/.test(source)) return undefined;
        const other = [...source.matchAll(/\bhttp2\.(\w+)/g)].map((m) => m[1]).find((m) => !HTTP2_MEMBERS.has(m));
        if (other) throw new Error(`axios-lean: ${args.path} reads http2.${other}; add it to the lazy http2 module`);
        return undefined;
      });
      // Two probes of Node's fetch globals at load: in Node, the first touch of fetch, Request, Response or
      // FormData loads undici and compiles its WebAssembly HTTP parser, about 13 MB of RSS for a client that
      // uses the http adapter. Both are made lazy, with no change in what axios does; and the request clock
      // (AXIOS_PATCHES).
      build.onLoad(
        { filter: /[\\/]node_modules[\\/]axios[\\/]lib[\\/](utils|adapters[\\/]fetch|core[\\/]dispatchRequest)\.js$/ },
        async (args) => {
          const source = await readFile(args.path, 'utf8');
          const patch = AXIOS_PATCHES.find((p) => args.path.replace(/\\/g, '/').endsWith(p.file));
          if (!patch || !source.includes(patch.eager))
            throw new Error(`axios-lean: ${args.path} no longer has the line this build patches; see AXIOS_PATCHES`);
          return { contents: source.replace(patch.eager, patch.lazy), loader: 'js' };
        },
      );
    },
  };
}

/**
 * Bundles zod (its ESM sources) instead of loading it from node_modules. Loaded as a package, zod is about
 * 60 ES modules whose records, sources and compiled code Node keeps for the life of the process (about
 * 13 MB of RSS); bundled and tree-shaken it is one module of one chunk, which is what the always-running
 * agent (the tray's main process and `deskside agent run`) pays. Two more cuts:
 *   - zod's 40-odd error-message locales (`z.locales`, half of its source) become English only, the one zod
 *     registers by default and the only one Deskside uses;
 *   - fastify-type-provider-zod (the server's) is bundled too, so it sees the same zod as our schemas (one
 *     registry, one set of classes) instead of loading the package beside the bundled copy.
 * @type {() => import('esbuild').Plugin}
 */
function zodBundled() {
  return {
    name: 'zod-bundled',
    setup(build) {
      build.onResolve({ filter: /^(zod|fastify-type-provider-zod)(\/.*)?$/ }, (args) => ({
        path: fileURLToPath(import.meta.resolve(args.path)),
      }));
      build.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('export { default as en } from "./en.js";'))
          throw new Error(`zod-bundled: ${args.path} no longer exports en as this build expects`);
        return { contents: 'export { default as en } from "./en.js";\n', loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * esbuild's options for every Node bundle (scripts/build.mjs; the bench builds its workers with the same).
 * Packages stay external, except axios and zod (above). Minified: V8 keeps each loaded chunk's source for
 * the life of the process (as two bytes a character as soon as one comment holds a non-ASCII one: esbuild
 * escapes them in code, not in comments), and short names shrink the scopes and property tables it builds
 * for them — the daemon's idle RSS is ~0.8 MB lower than with whitespace and comments removed alone. The
 * source maps beside the chunks keep stack traces readable (`node --enable-source-maps`). No code reads a
 * function's or class's own name, which minified identifiers would change.
 * @returns {import('esbuild').BuildOptions}
 */
export function nodeBundleOptions() {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    minifyWhitespace: true,
    minifyIdentifiers: true,
    minifySyntax: true,
    legalComments: 'none',
    plugins: [axiosLean(), zodBundled()],
  };
}
