import { ResourcePolicy } from '../../../local/gateway/resource-policy';

const policy = new ResourcePolicy({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*/DELETE/*', 'execute-api:/*/*/streams/b/*'],
    },
  ],
});

test.each([
  ['GET', '/streams', true],
  ['GET', '/streams/a', true],
  ['PUT', '/streams/a/record', true],
  ['PUT', '/streams/b/record', false],
  ['DELETE', '/streams/a', false],
])('%s %s allowed: %s', (method, path, allowed) => {
  expect(policy.allows('dev', method, path, 'anonymous')).toBe(allowed);
});

test('without an Allow nothing is allowed', () => {
  const denyOnly = new ResourcePolicy({
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/DELETE/*' }],
  });
  expect(denyOnly.allows('dev', 'GET', '/streams', 'anonymous')).toBe(false);
});

test('an account principal allows only signed callers', () => {
  const accountOnly = new ResourcePolicy({
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:root' },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
      },
    ],
  });
  expect(accountOnly.allows('dev', 'GET', '/streams', 'anonymous')).toBe(false);
  expect(accountOnly.allows('dev', 'GET', '/streams', 'account')).toBe(true);
});

test('no policy allows everything', () => {
  expect(new ResourcePolicy(undefined).allows('dev', 'GET', '/x', 'anonymous')).toBe(true);
});

test('a condition is refused rather than ignored', () => {
  expect(
    () =>
      new ResourcePolicy({
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { IpAddress: {} },
          },
        ],
      }),
  ).toThrow(/conditions are not evaluated/);
});

test('NotResource with the execute-api:/ shorthand is refused: its expansion on import is not documented', () => {
  expect(
    () =>
      new ResourcePolicy({
        Statement: [
          { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', NotResource: ['execute-api:/*/GET/streams'] },
        ],
      }),
  ).toThrow(/not documented to be expanded/);
});
