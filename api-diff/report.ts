/**
 * The Markdown report of an API diff (pure): the verdict first, then what breaks and why (contract
 * and behaviour), what else changed, and what the base's contract collection saw.
 */
import { behaviourFailures, breakingCount, type ApiDiffResult } from './compare-api';
import type { ContractChange } from './contract-diff';

export interface ReportOptions {
  /** Breaking changes are accepted (`--allow-breaking`, or the pull request's label). */
  readonly allowBreaking: boolean;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function changeTable(changes: readonly ContractChange[]): string[] {
  return [
    '| operation | change | reason |',
    '| --- | --- | --- |',
    ...changes.map((c) => `| ${cell(c.operation ?? '(whole API)')} | ${cell(c.description)} | ${cell(c.reason)} |`),
  ];
}

function behaviourSection(result: ApiDiffResult): string[] {
  const { behaviour } = result;
  if (!behaviour.checked) return ['### What the base contract saw', '', `Not checked: ${behaviour.why}.`];
  const lines = [
    '### What the base contract saw',
    '',
    `The base's own contract collection (its \`npm run postman\`), run with newman against this tree's local gateway: once as made, and once more for each other request example of the base spec.`,
    '',
    '| run | requests | assertions | failed |',
    '| --- | --- | --- | --- |',
    ...behaviour.runs.map(
      (r) => `| ${cell(r.label)} | ${r.requests.length} | ${r.assertions.total} | ${r.assertions.failed} |`,
    ),
  ];
  const asMade = behaviour.runs[0];
  if (asMade !== undefined) {
    lines.push(
      '',
      '<details><summary>Requests of the run as made</summary>',
      '',
      '| request | status | assertions | failed |',
      '| --- | --- | --- | --- |',
    );
    lines.push(
      ...asMade.requests.map(
        (r) => `| ${cell(r.request)} | ${r.status ?? 'no answer'} | ${r.assertions} | ${r.failed} |`,
      ),
      '',
      '</details>',
    );
  }
  return lines;
}

export function renderReport(result: ApiDiffResult, options: ReportOptions): string {
  const breaking = result.contract.filter((c) => c.severity === 'breaking');
  const review = result.contract.filter((c) => c.severity === 'unclassified');
  const others = result.contract.filter((c) => c.severity === 'non-breaking');
  const failures = behaviourFailures(result);
  const total = breakingCount(result);
  const lines = [`## API changes against \`${result.base.ref}\` (${result.base.commit.slice(0, 12)})`, ''];

  if (result.contract.length === 0 && failures.length === 0) {
    lines.push(
      result.behaviour.checked
        ? "**No changes**: the published contract is the same, and the base's contract collection passes against this tree."
        : '**No changes** to the published contract (behaviour not checked).',
    );
  } else if (total === 0) {
    lines.push(
      `**Non-breaking**: ${count(others.length, 'non-breaking change')}${review.length > 0 ? `, ${count(review.length, 'change')} to review` : ''}; the base's contract collection passes against this tree.`,
    );
  } else {
    lines.push(
      `**Breaking: ${count(total, 'breaking change')}** (${breaking.length} in the contract, ${count(failures.length, 'failed base assertion')}).${options.allowBreaking ? ' Allowed: this change is marked as breaking.' : ' Existing producers or consumers break; if that is intended, mark the change as breaking (the `breaking-change` label, or `--allow-breaking`).'}`,
    );
  }

  if (breaking.length > 0) lines.push('', '### Breaking changes to the contract', '', ...changeTable(breaking));
  if (failures.length > 0) {
    lines.push(
      '',
      '### Breaking changes in behaviour',
      '',
      'Base requests that no longer pass their own tests against this tree:',
      '',
    );
    const runCount = result.behaviour.checked ? result.behaviour.runs.length : 0;
    const where = (runs: readonly string[]): string =>
      runs.length === runCount && runCount > 1
        ? ' (every run)'
        : runs.length === 1 && runs[0] === 'as made'
          ? ''
          : ` (in the run${runs.length > 1 ? 's' : ''} ${runs.join(', ')})`;
    lines.push(
      ...failures.map(
        (f) => `- **${f.request}**${where(f.runs)}: _${f.assertion}_: ${f.message.replace(/\r?\n/g, ' ')}`,
      ),
    );
  }
  if (review.length > 0)
    lines.push('', '### Changes the diff could not classify (review them)', '', ...changeTable(review));
  if (others.length > 0) lines.push('', '### Non-breaking changes', '', ...changeTable(others));
  lines.push('', ...behaviourSection(result), '');
  return lines.join('\n');
}
