/**
 * The published contract of a checkout: its split spec under openapi/ bundled with this working
 * tree's bundler, without the x-amazon-apigateway-* extensions (how API Gateway implements the
 * API is not part of what producers and consumers see). This is the one place the diff learns what
 * "the published spec" is: point it at the project's published-spec function when there is one.
 */
import { join } from 'node:path';
import { bundleSpec, stripGatewayExtensions, type OpenApiDocument } from '../spec';

export async function publishedSpecOf(checkoutDir: string): Promise<OpenApiDocument> {
  return stripGatewayExtensions(await bundleSpec(join(checkoutDir, 'openapi', 'openapi.yaml')));
}
