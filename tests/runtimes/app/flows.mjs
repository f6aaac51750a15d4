// The flows every runtime and bundle of the matrix runs (tests/runtimes/matrix.test.mjs):
// validate, evaluate and match with the engine, then call the emulator with PuffleClient.
// Imports the package by name only, as an application does after `npm install signalkit`.
import { isSignalkitError, loadEngine, PuffleClient, ValidationError } from 'signalkit';

/**
 * @param {{emulatorUrl?: string, puffleKey?: string, engineOptions?: object}} options
 * @returns {Promise<object>} what tests/runtimes/matrix.test.mjs compares with EXPECTED there
 */
export async function flows({ emulatorUrl, puffleKey, engineOptions } = {}) {
  const engine = await loadEngine(engineOptions);
  const verdict = engine.validate('puffle.signalType.create', { name: '', keywords: [], sources: ['news', 'rss'] });
  const employees = { answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 10, rangeEnd: 200, answerQualification: 'good' }] } };
  const out = {
    issues: verdict.issues.map((i) => `${i.field}:${i.code}`),
    qualification: engine.evaluate(employees, '~1.2e2').qualification,
  };
  if (emulatorUrl) {
    const puffle = new PuffleClient({ apiKey: puffleKey, baseUrl: emulatorUrl, dangerouslyAllowBrowser: true });
    const types = await puffle.signalTypes.list();
    const matcher = engine.compileMatcher(types);
    try {
      out.matched = matcher.match({ id: 'p1', source: 'news', title: 'Acme raises a seed round', text: 'Now hiring.' }).types.map((t) => t.label);
    } finally {
      matcher.close();
    }
    try {
      await puffle.signalTypes.create({ name: '', keywords: [] });
      out.clientError = 'none';
    } catch (err) {
      out.clientError = [err.name, err instanceof ValidationError, ValidationError.is(err), isSignalkitError(err)];
    }
  }
  return out;
}
