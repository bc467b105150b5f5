/**
 * client/api-types.ts is generated from the published spec: regenerated here, it must match the
 * checked-in file, so a spec change without `npm run client:types` fails CI. The generator runs in a
 * child process (tsx): openapi-typescript's dependencies are ES modules, which Jest's CommonJS
 * runtime on Node 20 cannot load.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

it('client/api-types.ts matches the published spec (else run `npm run client:types`)', async () => {
  const { stdout } = await promisify(execFile)(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/generate-client-types.ts', '--stdout'],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  expect(stdout).toContain('"/streams/{stream-name}/records"');
  expect(readFileSync(join(ROOT, 'client', 'api-types.ts'), 'utf8') === stdout).toBe(true);
}, 120_000);
