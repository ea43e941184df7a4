import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'net',
  'dns',
  'http',
  'https',
  'zlib',
  'util',
  'stream',
  'events',
  'url',
  'worker_threads',
];
// Bare module names are matched exactly (`paths`): as gitignore-style patterns, 'http' would also
// match a project file such as src/console/api/http.ts. Globs and scoped names stay patterns.
const restrict = (specifiers, message) => {
  const bare = specifiers.filter((s) => /^[a-z][\w.-]*$/.test(s));
  const globs = specifiers.filter((s) => !bare.includes(s));
  return {
    'no-restricted-imports': [
      'error',
      { paths: bare.map((name) => ({ name, message })), patterns: [{ group: globs, message }] },
    ],
  };
};

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'coverage/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Durations in the agent: monotonicMs (src/main/services/monotonic-clock.ts); `performance` loads perf_hooks.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'performance', message: 'Use monotonicMs() from src/main/services/monotonic-clock.ts.' },
      ],
    },
  },
  {
    // IPC goes through one typed wrapper (src/main/electron/ipc.ts) that checks the sender and validates arguments.
    files: ['src/main/**'],
    ignores: ['src/main/electron/ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain'],
              message: 'Register IPC handlers only through src/main/electron/ipc.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Boundary: shared code runs in main, preload, renderer, server and console alike.
    files: ['src/shared/**'],
    ignores: ['src/shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: restrict(
      [
        'electron',
        'electron/*',
        ...nodeBuiltins,
        'react',
        'react-dom',
        'systeminformation',
        'axios',
        '**/main/**',
        '**/preload/**',
        '**/renderer/**',
        '**/server/**',
        '**/console/**',
        '**/cli/**',
        '**/test/**',
      ],
      'src/shared imports nothing from electron, node: or the DOM, and only other shared modules.',
    ),
  },
  {
    // Shared tests may build inputs with the fixture factory, never reach into a process side.
    files: ['src/shared/**/*.test.ts'],
    rules: restrict(
      [
        'electron',
        'electron/*',
        ...nodeBuiltins,
        '**/main/**',
        '**/server/**',
        '**/renderer/**',
        '**/console/**',
        '**/cli/**',
      ],
      'Shared tests stay pure: fixtures only.',
    ),
  },
  {
    // Boundary: main-process services and probes are plain Node so they can be tested without Electron.
    files: [
      'src/main/diagnostics/**',
      'src/main/services/**',
      'src/main/actions/**',
      'src/main/netmon/**',
      'src/cli/**',
      'src/server/**',
    ],
    rules: restrict(
      ['electron', 'electron/*', 'react', 'react-dom'],
      'Services, probes, the CLI and the server do not import electron or React; only the Electron glue in src/main does.',
    ),
  },
  {
    // The preload is sandboxed: electron's contextBridge/ipcRenderer and types from src/shared only.
    files: ['src/preload/**'],
    ignores: ['src/preload/**/*.test.ts'],
    rules: restrict(
      [
        ...nodeBuiltins,
        'react',
        'react-dom',
        '**/main/**',
        '**/renderer/**',
        '**/server/**',
        '**/console/**',
        '**/cli/**',
      ],
      'The preload is sandboxed: electron (contextBridge, ipcRenderer) and types from src/shared only.',
    ),
  },
  {
    // Boundary: UI shared by the agent window and the console (React, the DOM and src/shared only), so
    // both bundles can import it without pulling in the other app or a process side.
    files: ['src/ui/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [
        'electron',
        'electron/*',
        ...nodeBuiltins,
        '**/main/**',
        '**/preload/**',
        '**/renderer/**',
        '**/server/**',
        '**/console/**',
        '**/cli/**',
        '**/test/**',
        'zod',
      ],
      'src/ui is shared by the agent window and the console: React, react-markdown and zod-free src/shared modules only.',
    ),
  },
  {
    files: ['src/renderer/**', 'src/console/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      ['electron', 'electron/*', ...nodeBuiltins, '../main/**', '../server/**'],
      'The renderer and the console run in a browser: they talk to main through the preload API and to the server over HTTP.',
    ),
  },
  {
    // A value imported from a shared module that builds zod schemas puts all of zod (~440 KB) into the window bundle.
    files: ['src/renderer/**'],
    ignores: ['src/renderer/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^zod$|/shared/(api/[^/]+|actions/(?!self-service$)[^/]+|snapshot(/(snapshot|sections|diff[^/]*|index))?|health/[^/]+|priority|ipc/(contract|dispatch)|remote/share-overlay)$',
              allowTypeImports: true,
              message:
                'Values from these modules pull zod into the window bundle: import types only, or use src/renderer/lib/constants.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The console's bundle stays zod-free too: values only from the zod-free shared modules (the route
    // table, the cookie names, the *-fields and limits files, the catalog's info and the command
    // statuses); from schema modules, types only.
    files: ['src/console/**'],
    ignores: ['src/console/**/*.test.ts', 'src/console/**/*.test.tsx', 'src/console/test-render.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^zod$|/shared/(api/(?!endpoint-routes$|session-cookies$)[^/]+|actions/(?!catalog-info$|command-status$|self-service$|script-info$)[^/]+|snapshot(/(snapshot|sections|diff[^/]*|index))?|health/[^/]+|priority|ipc/[^/]+|remote/share-overlay)$',
              allowTypeImports: true,
              message:
                'Values from these modules pull zod into the console bundle: import types only, or a zod-free module (endpoint-routes, *-fields, content-limits, finding-codes, actions/catalog-info, actions/command-status, actions/script-info).',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI's start-up files load on every command, --help included: commander and zod-free shared data
    // only. Each command imports its *.actions module (and with it zod, the probes or the server) when it runs.
    files: [
      'src/cli/deskside.ts',
      'src/cli/run.ts',
      'src/cli/program.ts',
      'src/cli/*.command.ts',
      'src/cli/options.ts',
      'src/cli/io.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(zod|systeminformation|axios|fastify|kysely|better-sqlite3|pg)$|/(main|server)/|\\.actions$|/shared/(api/[^/]+|actions/[^/]+|snapshot(/(snapshot|sections|diff[^/]*|index))?|health/[^/]+|priority|ipc/[^/]+)$',
              allowTypeImports: true,
              message:
                'CLI start-up files load on every command: import this with import() inside the action, or import types only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
