// How a TypeScript app uses the widgets, checked by `tsc --noEmit -p tests/types` (strict).
import { loadEngine, PuffleClient, type PuffleSource, type Qualification } from 'signalkit';
import { QUALIFICATIONS, setDefaultEngine, type SignalkitTypeEditor, SOURCES } from 'signalkit/widgets';

// The widgets' lists and the client's unions name the same values (the lists themselves are
// held to the engine's schemas by tests/js/client/vendors.test.js).
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;
const sameSources: Same<PuffleSource, (typeof SOURCES)[number]> = true;
const sameQualifications: Same<Qualification, (typeof QUALIFICATIONS)[number]> = true;
void sameSources;
void sameQualifications;

setDefaultEngine(loadEngine());

const editor = document.createElement('signalkit-type-editor');
const typed: SignalkitTypeEditor = editor;
editor.client = new PuffleClient({ apiKey: `pk_live_${'0'.repeat(64)}`, dangerouslyAllowBrowser: true });
editor.types = [];
editor.addEventListener('signalkit-submit', (e) => {
  const id: string | null = e.detail.id;
  const kind: 'puffle.signalType.create' | 'puffle.signalType.update' = e.detail.kind;
  if (typed.mode === 'create' && id === null) e.preventDefault();
  void kind;
});
editor.addEventListener('signalkit-saved', (e) => { if ('type' in e.detail) console.log(e.detail.type.label, e.detail.endpoint); });
editor.endpoint = '/signalkit';
editor.typeId = null;

const preview = document.querySelector('signalkit-keyword-preview');
if (preview) {
  preview.source = SOURCES[0];
  preview.text = 'Acme raises a Series B';
  preview.addEventListener('signalkit-match', (e) => console.log(e.detail.result.types.map((t) => t.keywords[0]?.start)));
}

const tester = document.createElement('signalkit-criteria-tester');
tester.template = { answerType: 'number', weight: 'important', qualificationCriteria: { ranges: [] } };
tester.answers = ['1.2k'];
tester.endpoint = 'https://my-server.example/signalkit';
tester.templateId = null;
tester.addEventListener('signalkit-evaluate', (e) => console.log(e.detail.results[0]?.score));
// @ts-expect-error weight is one of three values
tester.template = { answerType: 'number', weight: 'very' };
