// The two ways text is written into engine memory as UTF-8 (js/boundary.js): Node's
// Buffer#write, used under Node, and TextEncoder.encodeInto, used everywhere else. They
// must agree byte for byte and on what does not fit, or a browser would match differently.
import { writeUtf8Node, writeUtf8Portable } from '../../js/boundary.js';

const samples = [
  '',
  'plain ASCII, the common case',
  'café naïve Straße',
  'финансирование 人工智能 カメラ',
  'emoji 😀 and 👍🏽 (surrogate pairs)',
  'lone high \uD800 surrogate',
  'lone low \uDC00 surrogate',
  'reversed pair \uDC00\uD800',
  'ends in a high surrogate \uD83D',
  '\u0000 NUL and \u007F DEL and \u0080 and \u07FF and \u0800 and \uFFFF',
];

function both(text, start, end) {
  const a = new Uint8Array(64 + text.length * 3).fill(0xaa);
  const b = new Uint8Array(64 + text.length * 3).fill(0xaa);
  const wa = writeUtf8Node(a, text, start, end);
  const wb = writeUtf8Portable(b, text, start, end);
  return { wa, wb, a: wa < 0 ? null : a.subarray(start, start + wa), b: wb < 0 ? null : b.subarray(start, start + wb) };
}

test('Node runs the Buffer writer (the fast path exists where these tests run)', () => {
  expect(typeof writeUtf8Node).toBe('function');
});

test.each(samples.map((s) => [JSON.stringify(s), s]))('%s: the same bytes with room to spare', (_, text) => {
  const { wa, wb, a, b } = both(text, 5, 5 + text.length * 3 + 8);
  expect(wa).toBe(wb);
  expect(wa).toBe(new TextEncoder().encode(text).length);
  expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
});

test.each(samples.map((s) => [JSON.stringify(s), s]))('%s: exactly enough room fits, one byte less does not', (_, text) => {
  const need = new TextEncoder().encode(text).length;
  for (let room = Math.max(0, need - 6); room <= need + 4; room++) {
    const { wa, wb, a, b } = both(text, 3, 3 + room);
    expect([room, wa]).toEqual([room, wb]);
    expect(wa).toBe(room >= need ? need : -1);
    if (wa >= 0) expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  }
});

test('room past the end of the memory counts only up to its end, in both', () => {
  for (const text of ['', 'abc', 'café', '😀😀']) {
    for (let start = 0; start <= 8; start++) {
      const a = new Uint8Array(8);
      const b = new Uint8Array(8);
      expect([text, start, writeUtf8Node(a, text, start, 100)]).toEqual([text, start, writeUtf8Portable(b, text, start, 100)]);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    }
  }
});
