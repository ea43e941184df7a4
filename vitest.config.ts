import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      // Unit tests sit next to their code; they touch no network and spawn nothing but fixtures. They
      // are hermetic, so they run in a random order every time (a suite that is one scenario in steps
      // says so with `{ shuffle: false }`). Component tests (*.test.tsx) say `@vitest-environment jsdom`
      // in their first lines and render with Testing Library against fakes at the edge.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/fixtures/**/*.test.ts'],
          // The agent's actions run real programs and loopback servers in their tests: integration.
          exclude: ['src/main/actions/**'],
          sequence: { shuffle: true },
          setupFiles: ['./test/setup/component-tests.ts'],
        },
      },
      // Cross-module tests: the built CLI as a real process, live probes and actions on this machine.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', 'src/main/actions/**/*.test.ts'],
          exclude: ['test/fixtures/**'],
          globalSetup: ['./test/global-setup.ts'],
        },
      },
    ],
  },
});
