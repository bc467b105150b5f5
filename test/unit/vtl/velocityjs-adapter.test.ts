/**
 * The engine uses velocityjs only through local/vtl/velocityjs-adapter.ts: its parser, including
 * the unexported flat token list, and the shape of its syntax tree. These tests fail loudly when
 * the installed velocityjs is not the version those internals were read from, or when the tree
 * the compiler reads has changed shape: re-read the internals before changing the pin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PINNED_VELOCITYJS,
  installedVelocityjs,
  parseFlat,
  parseTemplate,
} from '../../../local/vtl/velocityjs-adapter';

const strip = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, item: unknown) => (key === 'pos' ? undefined : item)));

test('velocityjs is the pinned version, in package.json and installed', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  expect(pkg.dependencies.velocityjs).toBe(PINNED_VELOCITYJS);
  expect(installedVelocityjs).toBe(PINNED_VELOCITYJS);
});

test('the tree of a reference with a property, a method with arguments and an index', () => {
  expect(strip(parseTemplate('$!{a.b}$a.c($d, "e$f")[0]'))).toEqual([
    { type: 'references', id: 'a', path: [{ type: 'property', id: 'b' }], isWraped: true, leader: '$!', prue: true },
    {
      type: 'references',
      id: 'a',
      path: [
        {
          type: 'method',
          id: 'c',
          args: [
            { type: 'references', id: 'd', leader: '$' },
            { type: 'string', value: 'e$f', isEval: true },
          ],
        },
        { type: 'index', id: { type: 'integer', value: '0' } },
      ],
      leader: '$',
      prue: true,
    },
  ]);
});

test('the tree of #set, #if/#elseif/#else, #foreach and operators', () => {
  expect(
    strip(parseTemplate('#set($x = -(1 + 2.5))#if($a && !$b)1#elseif($c)2#{else}3#end#foreach($i in [1..$n])$i#end')),
  ).toEqual([
    {
      type: 'set',
      equal: [
        { type: 'references', id: 'x', leader: '$' },
        {
          type: 'math',
          operator: 'minus',
          expression: [
            {
              type: 'math',
              operator: 'parenthesis',
              expression: [
                {
                  type: 'math',
                  operator: '+',
                  expression: [
                    { type: 'integer', value: '1' },
                    { type: 'decimal', value: 2.5 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    [
      {
        type: 'if',
        condition: {
          type: 'math',
          operator: '&&',
          expression: [
            { type: 'references', id: 'a', leader: '$' },
            { type: 'math', operator: 'not', expression: [{ type: 'references', id: 'b', leader: '$' }] },
          ],
        },
      },
      '1',
      { type: 'elseif', condition: { type: 'references', id: 'c', leader: '$' } },
      '2',
      { type: 'else' },
      '3',
    ],
    [
      {
        type: 'foreach',
        to: 'i',
        from: { type: 'array', isRange: true, value: ['1', { type: 'references', id: 'n', leader: '$' }] },
      },
      { type: 'references', id: 'i', leader: '$', prue: true },
    ],
  ]);
});

test('the flat token list still has the #end tokens, with positions', () => {
  const tokens = parseFlat('#if($a)x#end');
  expect(tokens.map((t) => (typeof t === 'string' ? t : t.type))).toEqual(['if', 'x', 'end']);
  expect(typeof tokens[2] === 'object' && tokens[2].pos?.first_line).toBe(1);
});
