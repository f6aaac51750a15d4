// What the criteria engine evaluates of a company signal: its `answer`, unwrapped. Saber
// documents `answer` as any JSON whose form follows `answerType`; its examples show both a
// bare value ("1.2k") and a wrapper ({"type": "open_text", "openText": {"value": "…"}}).
// The rules are in docs/contract.md ("From a signal's answer to an evaluation").
import { ANSWER_TYPES, answerWrapperKey } from '../vendors/saber.js';

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The value of a company signal's answer, as `engine.evaluate(template, value)` takes it:
 * - null when the signal has no answer (still processing, failed, or answered null);
 * - a wrapper `{type, <typeInCamelCase>: inner}` whose `type` is an answer type (the
 *   signal's own, when it names one) gives `inner.value` when inner is an object with a
 *   `value`, else `inner`;
 * - anything else is the answer as sent (text, number, boolean, array, object).
 * The engine then parses text ("1.2k", "45%", "$3M", "Yes", "A, B") and reports a form it
 * cannot read as `unparseable_answer`.
 * @param {object} signal a company signal as the API returns it
 * @returns {*}
 */
export function signalAnswer(signal) {
  if (!isPlainObject(signal) || signal.status !== 'completed') return null;
  const { answer } = signal;
  if (answer === undefined || answer === null) return null;
  if (isPlainObject(answer) && typeof answer.type === 'string' && ANSWER_TYPES.includes(answer.type)
      && (typeof signal.answerType !== 'string' || signal.answerType === answer.type)) {
    const key = answerWrapperKey(answer.type);
    if (Object.prototype.hasOwnProperty.call(answer, key)) {
      const inner = answer[key];
      return isPlainObject(inner) && Object.prototype.hasOwnProperty.call(inner, 'value') ? inner.value ?? null : inner ?? null;
    }
  }
  return answer;
}
