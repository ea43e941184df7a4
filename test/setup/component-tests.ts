/*
 * Setup of the unit project. Component tests (jsdom) wait for the screen with Testing Library's
 * findBy/waitFor, which poll until the condition holds; the limit only matters when a test fails, and
 * on a shared, busy machine 1 s (the default) is too short for a render plus a lazy Markdown chunk.
 * Node-environment tests skip this (and the import).
 */
if ('document' in globalThis) {
  const { configure } = await import('@testing-library/dom');
  configure({ asyncUtilTimeout: 5_000 });
}

export {};
