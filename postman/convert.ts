/** The OpenAPI to Postman conversion itself (openapi-to-postmanv2, offline). */
import { convertV2 } from 'openapi-to-postmanv2';
import type { OpenApiDocument } from '../spec-renderer';
import type { PostmanCollection } from './types';

export const CONVERTER_OPTIONS = {
  folderStrategy: 'Tags',
  parametersResolution: 'Example',
  requestNameSource: 'Fallback',
  // Optional parameters stay in the request, disabled: the flow enables the ones it uses.
  enableOptionalParameters: false,
  includeAuthInfoInExample: false,
} as const;

export function convertSpec(spec: OpenApiDocument): Promise<PostmanCollection> {
  return new Promise((resolve, reject) => {
    convertV2({ type: 'json', data: spec }, CONVERTER_OPTIONS, (error, result) => {
      if (error) return reject(new Error(`openapi-to-postmanv2: ${error.message}`));
      const collection = result?.output?.find((o) => o.type === 'collection')?.data;
      if (!result?.result || collection === undefined)
        return reject(new Error(`openapi-to-postmanv2 made no collection: ${result?.reason ?? 'no reason given'}`));
      resolve(collection as PostmanCollection);
    });
  });
}
