/**
 * `npm run lint`, second half: renders the spec as API Gateway would import it, for every auth
 * mode with CORS on and off, and refuses any construct the import ignores, rejects or changes
 * (spec-renderer/import-check.ts). Exits 1 naming each problem.
 */
import { AUTH_MODES, loadConfig } from '../config/ingest-config';
import { importDefinition } from '../infra/import-definition';
import { bundleSpec, checkImport, LOCAL_FACTS, renderDeployedSpec } from '../spec-renderer';

async function main(): Promise<void> {
  const bundled = await bundleSpec();
  const base = loadConfig();
  let failures = 0;
  for (const auth of AUTH_MODES) {
    for (const cors of [undefined, 'https://app.example.com']) {
      const { corsAllowOrigin: _configured, ...rest } = base;
      const config = { ...rest, auth, ...(cors === undefined ? {} : { corsAllowOrigin: cors }) };
      const problems = checkImport(importDefinition(renderDeployedSpec(bundled, config, LOCAL_FACTS)));
      for (const p of problems)
        process.stderr.write(
          `[auth ${auth}, CORS ${cors === undefined ? 'off' : 'on'}] ${p.rule} at ${p.at}: ${p.message}\n`,
        );
      failures += problems.length;
    }
  }
  if (failures > 0) process.exit(1);
  process.stdout.write(
    `Import check: the rendered Body passes every rule for auth ${AUTH_MODES.join(', ')}, CORS on and off.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
