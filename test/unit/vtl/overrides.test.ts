/**
 * $context.requestOverride / $context.responseOverride, per the API Gateway developer guide
 * (apigateway-override-request-response-parameters): settable with #set, "Overrides are final. An
 * override may only be applied to each parameter once ... API Gateway returns a 5XX response".
 */
import { renderTemplate } from '../../../local/vtl';
import { OverrideTwiceError } from '../../../local/vtl/override-maps';
import { render } from './helpers';

test('a preset request override is kept, readable, and returned', () => {
  const request = { context: { requestOverride: { path: { body: 'preset' }, header: { 'X-A': 'a' } } } };
  const result = renderTemplate(
    '$context.requestOverride.path.body $context.requestOverride.header.X-A#set($context.requestOverride.querystring.q = "v")',
    request,
  );
  expect(result.output).toBe('preset a');
  expect(result.requestOverride).toEqual({
    headers: { 'X-A': 'a' },
    querystring: { q: 'v' },
    path: { body: 'preset' },
  });
});

test('a preset response override is kept; the template can still set its own entries', () => {
  const result = renderTemplate('#set($context.responseOverride.header.X-B = "b")$context.responseOverride.status', {
    context: { responseOverride: { status: 418 } },
  });
  expect(result.output).toBe('418');
  expect(result.responseOverride).toEqual({ status: 418, headers: { 'X-B': 'b' } });
});

test('the same override set twice in one template fails (API Gateway answers 5XX)', () => {
  expect(() =>
    render('#set($context.responseOverride.status = 400)#set($context.responseOverride.status = 404)'),
  ).toThrow(OverrideTwiceError);
  expect(() =>
    render('#set($context.requestOverride.header.X = "1")#set($context.requestOverride.header.X = "2")'),
  ).toThrow(/set twice/);
});

test('different entries, and a preset entry set once by the template, are fine', () => {
  const result = renderTemplate(
    '#set($context.requestOverride.header.X = "1")#set($context.requestOverride.header.Y = "2")#set($context.requestOverride.path.p = "t")',
    {
      context: { requestOverride: { path: { p: 'preset' } } },
    },
  );
  expect(result.requestOverride).toEqual({ headers: { X: '1', Y: '2' }, querystring: {}, path: { p: 't' } });
});

test('override maps are made per render: the caller context is never written', () => {
  const context = { requestOverride: { header: { X: 'preset' } } };
  renderTemplate('#set($context.requestOverride.header.Y = "y")', { context });
  expect(context).toEqual({ requestOverride: { header: { X: 'preset' } } });
});
