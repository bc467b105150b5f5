/**
 * The CDK app: `cdk deploy -c stage=prod` deploys the stack of cdk.json's prod stage (its shared
 * settings with `stages.prod` laid over them); `-c auth=iam` and friends override single fields.
 * See config/ingest-config.ts for every field.
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
