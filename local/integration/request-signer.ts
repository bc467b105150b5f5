/**
 * SigV4 signers for the `kinesis` service, one per credentials source and region, built once and
 * reused: the signer caches its signing key, which is most of the cost of signing.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export type AwsCredentials = AwsCredentialIdentity;
/** Fixed credentials, or a provider such as `fromNodeProviderChain()` for a real AWS endpoint. */
export type CredentialsSource = AwsCredentials | AwsCredentialIdentityProvider;

/** For the local backends, which want a SigV4 `Authorization` header but check no signature. */
export const LOCAL_CREDENTIALS: AwsCredentials = Object.freeze({ accessKeyId: 'local', secretAccessKey: 'local' });

const sha256 = Hash.bind(null, 'sha256');

export class SignerCache {
  private readonly byCredentials = new WeakMap<CredentialsSource, Map<string, SignatureV4>>();

  signerFor(credentials: CredentialsSource, region: string): SignatureV4 {
    let byRegion = this.byCredentials.get(credentials);
    if (byRegion === undefined) {
      byRegion = new Map();
      this.byCredentials.set(credentials, byRegion);
    }
    let signer = byRegion.get(region);
    if (signer === undefined) {
      signer = new SignatureV4({ service: 'kinesis', region, credentials, sha256 });
      byRegion.set(region, signer);
    }
    return signer;
  }
}
