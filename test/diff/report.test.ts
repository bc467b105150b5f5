/** The Markdown report from hand-made results: the verdict, the reasons, the failed base assertions. */
import type { ApiDiffResult } from '../../api-diff/compare-api';
import type { RunOutcome } from '../../api-diff/behaviour-check';
import { renderReport } from '../../api-diff/report';

const passing = (label: string): RunOutcome => ({
  label,
  requests: [{ request: 'Put one record', status: 200, assertions: 3, failed: 0 }],
  assertions: { total: 3, failed: 0 },
  failures: [],
});
const base = { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' };

test('no changes', () => {
  const report = renderReport(
    { base, contract: [], behaviour: { checked: true, runs: [passing('as made')], dependencies: 'working tree' } },
    { allowBreaking: false },
  );
  expect(report).toContain('## API changes against `origin/main` (0123456789ab)');
  expect(report).toContain('**No changes**');
  expect(report).toContain('| as made | 1 | 3 | 0 |');
  expect(report).not.toContain('### Breaking');
});

test('breaking: contract reasons in a table, behaviour failures once each with the runs they failed in', () => {
  const failing = (label: string): RunOutcome => ({
    label,
    requests: [{ request: 'Read back the | record', status: 200, assertions: 3, failed: 1 }],
    assertions: { total: 3, failed: 1 },
    failures: [
      {
        run: label,
        request: 'Read back the | record',
        assertion: 'byte for byte',
        message: 'expected "a"\nto equal a',
      },
    ],
  });
  const result: ApiDiffResult = {
    base,
    contract: [
      {
        severity: 'breaking',
        reason: 'removed operation',
        operation: 'GET /streams',
        description: '[Removed] operation GET /streams',
        location: '/paths/~1streams/get',
      },
      {
        severity: 'non-breaking',
        reason: 'documentation',
        description: '[Replaced] description',
        location: '/info/description',
      },
    ],
    behaviour: {
      checked: true,
      runs: [
        passing('as made'),
        failing('"Put one record" sending example `text`'),
        failing('"Put one record" sending example `text`'),
      ],
      dependencies: 'cache',
    },
  };
  const report = renderReport(result, { allowBreaking: false });
  expect(report).toContain('**Breaking: 2 breaking changes** (1 in the contract, 1 failed base assertion).');
  expect(report).toContain('| GET /streams | [Removed] operation GET /streams | removed operation |');
  expect(report).toContain('| (whole API) | [Replaced] description | documentation |');
  expect(report).toContain(
    '- **Read back the | record** (in the run "Put one record" sending example `text`): _byte for byte_: expected "a" to equal a',
  );
  expect(report).toContain('| "Put one record" sending example `text` | 1 | 3 | 1 |');
  expect(report).toContain('mark the change as breaking');
  expect(renderReport(result, { allowBreaking: true })).toContain('Allowed: this change is marked as breaking.');
});

test('behaviour not checked: says why', () => {
  const report = renderReport(
    {
      base,
      contract: [],
      behaviour: { checked: false, why: 'the base has no `npm run postman` script, so no contract collection' },
    },
    { allowBreaking: false },
  );
  expect(report).toContain('**No changes** to the published contract (behaviour not checked).');
  expect(report).toContain('Not checked: the base has no `npm run postman` script, so no contract collection.');
});
