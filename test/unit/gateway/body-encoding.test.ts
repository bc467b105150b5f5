/** Bodies whose bytes cannot be stored as sent are named; every storable body passes. */
import { unstorableBodyReason } from '../../../local/gateway/body-encoding';

const json = 'application/json';

test.each([
  ['plain ASCII', Buffer.from('{"data":"a"}'), json],
  ['UTF-8 text', Buffer.from('{"data":"café ✓ 😀"}'), json],
  ['a whole surrogate pair escaped', Buffer.from('{"data":"\\ud83d\\ude00"}'), json],
  ['an escaped backslash before u', Buffer.from('{"data":"\\\\ud800"}'), json],
  ['ASCII under another declared charset', Buffer.from('{"data":"a"}'), 'application/json; charset=iso-8859-1'],
  ['UTF-8 declared', Buffer.from('{"data":"é"}'), 'application/json; charset=UTF-8'],
  ['an empty body', Buffer.alloc(0), json],
])('%s can be stored', (_, body, type) => {
  expect(unstorableBodyReason(body, type)).toBeUndefined();
});

test.each([
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), json, /not valid UTF-8/],
  ['a UTF-8-encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), json, /not valid UTF-8/],
  [
    'ISO-8859-1 text',
    Buffer.from('{"data":"caf\xe9"}', 'latin1'),
    'application/json; charset=iso-8859-1',
    /charset=iso-8859-1.*offset 12/,
  ],
  ['a lone high surrogate escape', Buffer.from('{"data":"a\\ud800b"}'), json, /lone U\+D800/],
  ['a lone low surrogate escape', Buffer.from('{"data":"\\uDC00"}'), json, /lone U\+DC00/],
  ['a high surrogate at the end', Buffer.from('{"data":"\\ud83d"}'), json, /lone U\+D83D/],
  ['two high surrogates', Buffer.from('{"data":"\\ud83d\\ud83d\\ude00"}'), json, /lone U\+D83D/],
])('%s is refused with a reason fit for a JSON string', (_, body, type, reason) => {
  const text = unstorableBodyReason(body, type);
  expect(text).toMatch(reason);
  expect(text).not.toMatch(/["\\]/);
});
