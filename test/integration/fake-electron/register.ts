// `node --import ./register.ts …`: resolves `electron` to the stand-in beside this file.
import { registerHooks } from 'node:module';

const FAKE = new URL('./electron.ts', import.meta.url).href;
registerHooks({
  resolve(specifier, context, next) {
    return specifier === 'electron' ? { url: FAKE, shortCircuit: true, format: 'module' } : next(specifier, context);
  },
});
