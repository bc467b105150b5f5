/**
 * The REST API's name. On import API Gateway takes the name from the definition's `info.title`
 * (PutRestApi/ImportRestApi), so the renderer writes this name there and the stack gives the same
 * one to SpecRestApi: the alarms' `ApiName` dimension then measures this API. Pure.
 */
import type { IngestConfig } from '../config/ingest-config';

export function apiName(config: Pick<IngestConfig, 'stage'>): string {
  return `kinesis-ingest-${config.stage}`;
}
