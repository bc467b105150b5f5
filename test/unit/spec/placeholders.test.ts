import { Stack, Token } from 'aws-cdk-lib';
import { findPlaceholders, PlaceholderError, substitutePlaceholders, type JsonValue } from '../../../spec-renderer';

describe('substitutePlaceholders', () => {
  const doc: JsonValue = {
    uri: 'arn:aws:apigateway:{{Region}}:kinesis:action/PutRecord',
    credentials: '{{RoleArn}}',
    policy: { NotResource: '{{Resources}}' },
    template: '#set($names = {{Names}})',
    list: ['{{Region}}', 'static'],
  };
  const values = {
    Region: 'eu-west-1',
    RoleArn: 'arn:aws:iam::111122223333:role/r',
    Resources: ['a', 'b'],
    Names: ['x', 'y'],
  };

  test('replaces placeholders inside strings and whole values', () => {
    expect(substitutePlaceholders(doc, values)).toEqual({
      uri: 'arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord',
      credentials: 'arn:aws:iam::111122223333:role/r',
      policy: { NotResource: ['a', 'b'] },
      template: '#set($names = ["x","y"])',
      list: ['eu-west-1', 'static'],
    });
  });

  test('does not change the document it is given', () => {
    const copy = JSON.parse(JSON.stringify(doc)) as JsonValue;
    substitutePlaceholders(doc, values);
    expect(doc).toEqual(copy);
  });

  test('keeps CDK tokens, which resolve to CloudFormation functions', () => {
    const stack = new Stack();
    const region = Token.asString({ Ref: 'AWS::Region' });
    const role = Token.asString({ 'Fn::GetAtt': ['Role', 'Arn'] });
    const out = substitutePlaceholders(doc, { ...values, Region: region, RoleArn: role }) as Record<string, JsonValue>;
    expect(stack.resolve(out.credentials)).toEqual({ 'Fn::GetAtt': ['Role', 'Arn'] });
    expect(stack.resolve(out.uri)).toEqual({
      'Fn::Join': ['', ['arn:aws:apigateway:', { Ref: 'AWS::Region' }, ':kinesis:action/PutRecord']],
    });
  });

  test('throws on a placeholder without a value, naming it and where it is', () => {
    const { Names: _names, ...partial } = values;
    expect(() => substitutePlaceholders(doc, partial)).toThrow(PlaceholderError);
    expect(() => substitutePlaceholders(doc, partial)).toThrow(/No value for \{\{Names\}\} \(at #\/template\)/);
  });

  test('throws on a value no placeholder uses', () => {
    expect(() => substitutePlaceholders(doc, { ...values, Regoin: 'typo' })).toThrow(
      /Values given for placeholders the spec does not use: \{\{Regoin\}\}/,
    );
  });

  test('throws on a placeholder left over after substitution', () => {
    expect(() => substitutePlaceholders({ a: '{{A}}' }, { A: 'still {{B}} here' })).toThrow(
      /Placeholders left after substitution.*\{\{B\}\} at #\/a/,
    );
  });

  test('finds placeholders with their JSON pointer', () => {
    expect([...findPlaceholders({ 'a/b': ['x {{One}}'] })]).toEqual([['One', '#/a~1b/0']]);
  });
});
