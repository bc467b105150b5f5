/**
 * The CDK app: `cdk synth -c stage=prod -c stageKind=production -c auth=iam`. The configuration
 * lives in cdk.json's `ingest` context; see infra/config.ts for every field.
 */
import { buildApp } from './build-app';

async function main(): Promise<void> {
  const { app } = await buildApp();
  app.synth();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
