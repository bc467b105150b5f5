/**
 * Postman auth for the configured auth mode (pure). The converter turns the SigV4 scheme (an
 * `apiKey` scheme on `Authorization` once the x-amazon-apigateway-authtype is stripped) into an
 * API key auth that would send the literal key as the Authorization header: iam gets Postman's
 * own AWS Signature auth instead.
 */
import type { AuthMode } from '../config/ingest-config';
import type { PostmanAuth, PostmanAuthAttribute } from './types';

const attr = (key: string, value: string): PostmanAuthAttribute => ({ key, value, type: 'string' });

export function collectionAuth(mode: AuthMode): PostmanAuth {
  switch (mode) {
    case 'apiKey':
      return { type: 'apikey', apikey: [attr('key', 'x-api-key'), attr('value', '{{apiKey}}'), attr('in', 'header')] };
    case 'iam':
      return {
        type: 'awsv4',
        awsv4: [
          attr('accessKey', '{{awsAccessKeyId}}'),
          attr('secretKey', '{{awsSecretAccessKey}}'),
          attr('sessionToken', '{{awsSessionToken}}'),
          attr('region', '{{awsRegion}}'),
          attr('service', 'execute-api'),
        ],
      };
    case 'none':
      return { type: 'noauth' };
  }
}

/** The error a request without credentials gets, per mode (none: there is no such request). */
export function missingCredentialsError(mode: AuthMode): { status: number; code: string; name: string } | undefined {
  switch (mode) {
    case 'apiKey':
      return { status: 403, code: 'InvalidApiKey', name: 'Without an API key: 403 InvalidApiKey' };
    case 'iam':
      // API Gateway answers an unsigned request MISSING_AUTHENTICATION_TOKEN, mapped to 404 NotFound.
      return { status: 404, code: 'NotFound', name: 'Without a signature: 404 NotFound' };
    case 'none':
      return undefined;
  }
}
