/** $context, its overrides, and $stageVariables (mapping-templates.md, point 13). */
import { defaultContext, renderTemplate } from '../../../local/vtl';
import { render } from './helpers';

describe('generated $context', () => {
  test('requestId is a UUID, new for every render', () => {
    const first = render('$context.requestId');
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(render('$context.requestId')).not.toBe(first);
  });

  test('requestTime is in Common Log Format, requestTimeEpoch in milliseconds', () => {
    const before = Date.now();
    const [time, epoch] = render('$context.requestTime|$context.requestTimeEpoch').split('|');
    expect(time).toMatch(/^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Number(epoch)).toBeGreaterThanOrEqual(before);
    expect(Number(epoch)).toBeLessThanOrEqual(Date.now());
  });

  test('every documented field is there', () => {
    const context = defaultContext({});
    for (const key of [
      'requestId',
      'extendedRequestId',
      'requestTime',
      'requestTimeEpoch',
      'resourcePath',
      'path',
      'httpMethod',
      'stage',
      'apiId',
      'accountId',
      'protocol',
      'domainName',
    ]) {
      expect(context).toHaveProperty([key]);
    }
    expect(context.identity).toEqual(
      expect.objectContaining({
        sourceIp: expect.any(String),
        userAgent: expect.any(String),
        apiKey: expect.any(String),
      }),
    );
    expect(context.error).toEqual(
      expect.objectContaining({ message: '', messageString: '""', validationErrorString: '', responseType: '' }),
    );
  });

  test('the request context is merged over the generated values, nested maps key by key', () => {
    const request = { context: { stage: 'dev', resourcePath: '/streams/{stream-name}', identity: { apiKey: 'k' } } };
    expect(
      render('$context.stage $context.resourcePath $context.identity.apiKey $context.identity.sourceIp', request),
    ).toBe('dev /streams/{stream-name} k 127.0.0.1');
  });

  test('error.messageString is the message as a JSON string', () => {
    expect(render('$context.error.messageString', { context: { error: { message: 'Invalid "key"' } } })).toBe(
      '"Invalid \\"key\\""',
    );
  });

  test("a template cannot change the caller's context objects", () => {
    const context = { authorizer: { claims: { sub: 'a' } }, identity: { apiKey: 'k' } };
    const before = JSON.stringify(context);
    render(
      '#set($context.authorizer.claims.sub = "b")#set($context.identity.apiKey = "x")$context.authorizer.claims.sub',
      { context },
    );
    expect(JSON.stringify(context)).toBe(before);
  });
});

describe('responseOverride', () => {
  test('status and headers come back with the result', () => {
    const result = renderTemplate(
      '#set($context.responseOverride.status = 429)#set($context.responseOverride.header.Retry-After = "1")',
      {},
    );
    expect(result.responseOverride).toEqual({ status: 429, headers: { 'Retry-After': '1' } });
  });

  test('a numeric string status counts', () => {
    expect(renderTemplate('#set($context.responseOverride.status = "404")', {}).responseOverride.status).toBe(404);
  });

  test.each([['99'], ['600'], ['"abc"'], ['"4o4"'], ['2.5']])('status %s does not count (only 100 to 599)', (value) => {
    expect(renderTemplate(`#set($context.responseOverride.status = ${value})`, {}).responseOverride).toEqual({
      headers: {},
    });
  });

  test('nothing set: no status, no headers', () => {
    expect(renderTemplate('x', {}).responseOverride).toEqual({ headers: {} });
  });

  test('the template can read back what it set', () => {
    expect(render('#set($context.responseOverride.status = 410)$context.responseOverride.status')).toBe('410');
  });
});

describe('requestOverride', () => {
  test('header, querystring and path come back with the result', () => {
    const result = renderTemplate(
      '#set($context.requestOverride.header.X-A = "a")#set($context.requestOverride.querystring.q = "b")#set($context.requestOverride.path.p = "c")',
      {},
    );
    expect(result.requestOverride).toEqual({ headers: { 'X-A': 'a' }, querystring: { q: 'b' }, path: { p: 'c' } });
  });

  test('values are sent as text', () => {
    expect(renderTemplate('#set($context.requestOverride.header.X-N = 5)', {}).requestOverride.headers).toEqual({
      'X-N': '5',
    });
  });
});

describe('$stageVariables', () => {
  test('by property and by index', () => {
    expect(
      render("$stageVariables.env $stageVariables['env'] $stageVariables.get('env')", {
        stageVariables: { env: 'prod' },
      }),
    ).toBe('prod prod prod');
  });

  test('an unknown one is nothing', () => {
    expect(render('[$stageVariables.nope]')).toBe('[]');
  });
});
