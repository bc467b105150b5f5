// Runs the suites that take longest first, so that on 2 workers the last minute is not one long
// suite alone while the other worker idles. Jest orders by the durations it cached on earlier runs;
// a fresh clone (CI) has none and would order by file size. The list is what `npx jest --json`
// measured (longest first); suites not in it follow in Jest's own order.
const Sequencer = require('@jest/test-sequencer').default;

const LONGEST_FIRST = [
  'test/diff/api-diff.test.ts',
  'test/browser/docs.test.ts',
  'test/infra/cdk-nag.test.ts',
  'test/e2e/kinesis-mock-backend.test.ts',
  'test/reliability/faults.test.ts',
  'test/infra/kinesis-actions.test.ts',
  'test/e2e/kinesis-backends.test.ts',
  'test/reliability/load.test.ts',
  'test/client/ingest-client-gateway.test.ts',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const index = LONGEST_FIRST.findIndex((suffix) => test.path.endsWith(suffix));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    const known = tests.filter((test) => rank(test) < LONGEST_FIRST.length).sort((a, b) => rank(a) - rank(b));
    return [...known, ...super.sort(tests.filter((test) => rank(test) === LONGEST_FIRST.length))];
  }
}

module.exports = LongestFirst;
