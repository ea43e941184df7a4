// Node module hooks for the main-bundle smoke test: `electron` resolves to electron-shim.mjs.
const shim = new URL('./electron-shim.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  return specifier === 'electron' ? { url: shim, shortCircuit: true } : next(specifier, context);
}
