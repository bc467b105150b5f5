/**
 * `npm run diff`'s work: the API at a base ref against this working tree, by contract (the
 * published specs diffed) and by behaviour (the base's contract collection run against this
 * tree's local gateway). The base checkout is a temporary folder, removed at the end.
 */
import { join } from 'node:path';
import { baseCollection } from './base-collection';
import { provideBaseDependencies, type DependencySource } from './base-dependencies';
import { failedAssertions, runBaseContract, type FailedAssertion, type RunOutcome } from './behaviour-check';
import { diffContracts, type ContractChange } from './contract-diff';
import { exampleVariants } from './example-variants';
import { checkoutRef } from './git-checkout';
import { publishedSpecOf } from './published-spec';

export interface ApiDiffOptions {
  /** The working tree: its files are the "after" side and its gateway answers the base's collection. */
  readonly workingDir: string;
  readonly baseRef: string;
  /** Where base installs and collections are kept between runs. */
  readonly cacheRoot?: string;
}

export type BehaviourResult =
  | {
      readonly checked: true;
      readonly runs: RunOutcome[];
      readonly dependencies: DependencySource | 'not needed (collection cached)';
    }
  | { readonly checked: false; readonly why: string };

export interface ApiDiffResult {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly contract: ContractChange[];
  readonly behaviour: BehaviourResult;
}

const defaultCacheRoot = (workingDir: string): string =>
  process.env.API_DIFF_CACHE ?? join(workingDir, 'node_modules', '.cache', 'api-diff');

export async function compareApi(options: ApiDiffOptions): Promise<ApiDiffResult> {
  const cacheRoot = options.cacheRoot ?? defaultCacheRoot(options.workingDir);
  const checkout = await checkoutRef(options.workingDir, options.baseRef);
  try {
    const read = (dir: string, what: string) =>
      publishedSpecOf(dir).catch((error: unknown) => {
        throw new Error(
          `Could not read ${what}'s spec (openapi/openapi.yaml): ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    const [before, after] = await Promise.all([
      read(checkout.dir, `the base ${options.baseRef}`),
      read(options.workingDir, 'the working tree'),
    ]);
    const contract = diffContracts(before, after);
    let dependencies: DependencySource | undefined;
    const collection = await baseCollection(checkout.dir, checkout.commit, cacheRoot, async () => {
      dependencies = await provideBaseDependencies(checkout.dir, options.workingDir, cacheRoot);
    });
    const behaviour: BehaviourResult = collection.found
      ? {
          checked: true,
          runs: await runBaseContract(
            options.workingDir,
            exampleVariants(collection.value.collection, before),
            collection.value.environment,
          ),
          dependencies: dependencies ?? 'not needed (collection cached)',
        }
      : { checked: false, why: collection.why };
    return { base: { ref: options.baseRef, commit: checkout.commit }, contract, behaviour };
  } finally {
    checkout.remove();
  }
}

/** The base assertions that fail against this tree, each once. */
export function behaviourFailures(result: ApiDiffResult): FailedAssertion[] {
  return result.behaviour.checked ? failedAssertions(result.behaviour.runs) : [];
}

/** Breaking contract changes plus failed base assertions. */
export function breakingCount(result: ApiDiffResult): number {
  return result.contract.filter((c) => c.severity === 'breaking').length + behaviourFailures(result).length;
}

/** `npm run diff`'s exit status: 1 when something breaks and that was not allowed. */
export const exitStatus = (result: ApiDiffResult, allowBreaking: boolean): 0 | 1 =>
  breakingCount(result) > 0 && !allowBreaking ? 1 : 0;
