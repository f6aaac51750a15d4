// Running the emscripten glue on a WebAssembly.Module that is already compiled, so that the
// glue never looks for a file. Shared by js/load.js (every loader ends here) and the <script>
// bundle's loader (scripts/build-browser.mjs: loadEngine({ wasmModule })).

/**
 * Resolves to the glue's module object. Rejects with the instantiation error: the glue's
 * own promise would stay pending for ever when instantiation fails, so it is raced.
 * @param {(overrides: object) => Promise<object>} createGlue  the emscripten factory
 * @param {WebAssembly.Module} module
 */
export function instantiateGlue(createGlue, module) {
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  return Promise.race([failed, createGlue({
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(module, imports).then((instance) => done(instance, module)).catch(fail);
      return {};
    },
    locateFile: (name) => name,
  })]);
}
