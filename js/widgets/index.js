// signalkit web components: one module script registers all three elements.
//
//   <script type="module" src="/node_modules/signalkit/js/widgets/index.js"></script>
//   <signalkit-type-editor></signalkit-type-editor>
//   <signalkit-keyword-preview></signalkit-keyword-preview>
//   <signalkit-criteria-tester></signalkit-criteria-tester>
//
// The elements load the engine themselves (loadEngine(), the .wasm next to the package's
// glue) unless given one: `el.engine = engine`, or setDefaultEngine(promise) for all.
// Properties, events and theming: docs/widgets.md.
export { SignalkitTypeEditor, SOURCES } from './type-editor.js';
export { SignalkitKeywordPreview } from './keyword-preview.js';
export { SignalkitCriteriaTester, QUALIFICATIONS } from './criteria-tester.js';
export { setDefaultEngine } from './shared.js';
