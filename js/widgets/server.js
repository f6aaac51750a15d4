// signalkit/widgets where there is no DOM (Node, Bun, Deno: server-side rendering, tests):
// package.json "exports" picks this module for the "node" condition. Importing it defines
// nothing and touches no browser global; the same names exist so that shared code imports
// cleanly. The elements themselves are registered by js/widgets/index.js in a browser.
export { SOURCE_IDS as SOURCES } from '../vendors/puffle.js';
export { QUALIFICATIONS } from '../vendors/saber.js';

function serverOnly(name) {
  return class {
    constructor() {
      throw new TypeError(`${name} is a browser custom element: signalkit/widgets defines no elements where there is no DOM (HTMLElement).`);
    }
  };
}
export const SignalkitTypeEditor = serverOnly('SignalkitTypeEditor');
export const SignalkitKeywordPreview = serverOnly('SignalkitKeywordPreview');
export const SignalkitCriteriaTester = serverOnly('SignalkitCriteriaTester');

/** Does nothing without a DOM: there are no elements to give an engine to. */
export function setDefaultEngine() {}
