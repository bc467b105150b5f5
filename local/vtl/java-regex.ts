/**
 * Java's regular expressions as String.replaceAll/replaceFirst/matches/split use them, run on
 * JavaScript's engine. The common syntax is shared; the Java-only forms templates meet are
 * translated (\Q..\E quoting, leading inline flags, \A \z \Z, possessive and atomic forms as their
 * plain equivalents, POSIX \p{...} classes). Replacement strings follow Java's rules ($1, ${name},
 * \$), never JavaScript's ($&, $`, $$).
 */

const REGEX_CACHE = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Java pattern source -> [JavaScript source, flags]. */
function translate(source: string): [string, string] {
  let flags = '';
  const body = source.replace(/^\(\?([imsx]+)\)/, (_, inline: string) => {
    for (const flag of inline) if (flag !== 'x' && !flags.includes(flag)) flags += flag;
    return '';
  });
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (ch !== '\\') {
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      // Possessive quantifiers (a*+, a++, a?+, a{2}+) as greedy ones; atomic groups as plain groups.
      if (!inClass && ch === '+' && i > 0 && /[*+?}]/.test(body[i - 1]) && body[i - 2] !== '\\') continue;
      if (!inClass && ch === '(' && body.startsWith('(?>', i)) {
        out += '(?:';
        i += 2;
        continue;
      }
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === 'Q') {
      const end = body.indexOf('\\E', i + 2);
      const literal = end === -1 ? body.slice(i + 2) : body.slice(i + 2, end);
      out += escapeLiteral(literal);
      i = end === -1 ? body.length : end + 1;
    } else if (next === 'A') {
      out += '^';
      i += 1;
    } else if (next === 'z') {
      out += '(?![\\s\\S])';
      i += 1;
    } else if (next === 'Z') {
      out += '(?=\\n?(?![\\s\\S]))';
      i += 1;
    } else if ((next === 'p' || next === 'P') && body[i + 2] === '{') {
      const close = body.indexOf('}', i + 3);
      const name = body.slice(i + 3, close).replace(/^Is/, '');
      const range = POSIX_CLASSES[name];
      if (close !== -1 && range !== undefined && !(inClass && next === 'P')) {
        out += inClass ? range : next === 'p' ? `[${range}]` : `[^${range}]`;
        i = close;
      } else {
        out += ch + next;
        i += 1;
      }
    } else {
      out += ch + (next ?? '');
      i += 1;
    }
  }
  return [out, flags];
}

/**
 * The compiled regex for a Java pattern; `extraFlags` adds e.g. 'g', `whole` anchors it for a full
 * match. Cached: templates reuse a few patterns on every record.
 */
export function javaRegex(pattern: string, extraFlags = '', whole = false): RegExp {
  const key = `${whole ? '^' : ''}${extraFlags}/${pattern}`;
  let regex = REGEX_CACHE.get(key);
  if (regex === undefined) {
    const [source, flags] = translate(pattern);
    // Sticky and followed by the end: the match must cover the whole text, whatever the m flag says.
    regex = new RegExp(whole ? `(?:${source})(?![\\s\\S])` : source, flags + extraFlags + (whole ? 'y' : ''));
    if (REGEX_CACHE.size < CACHE_LIMIT) REGEX_CACHE.set(key, regex);
  }
  // A global regex keeps state between uses: each use starts from the beginning.
  regex.lastIndex = 0;
  return regex;
}

/** Java's Matcher.appendReplacement rules: `$n` (longest group number that exists), `${name}`, `\x` literal x. */
function expandReplacement(
  replacement: string,
  match: RegExpExecArray | string[],
  groups: Record<string, string | undefined> | undefined,
): string {
  if (!replacement.includes('$') && !replacement.includes('\\')) return replacement;
  let out = '';
  for (let i = 0; i < replacement.length; i += 1) {
    const ch = replacement[i];
    if (ch === '\\') {
      i += 1;
      if (i >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (ch === '$') {
      if (replacement[i + 1] === '{') {
        const close = replacement.indexOf('}', i + 2);
        const name = replacement.slice(i + 2, close);
        if (close === -1 || groups === undefined || !(name in groups)) throw new Error(`No group with name {${name}}`);
        out += groups[name] ?? '';
        i = close;
        continue;
      }
      let j = i + 1;
      if (j >= replacement.length || !/[0-9]/.test(replacement[j]))
        throw new Error(`Illegal group reference in "${replacement}"`);
      let group = Number(replacement[j]);
      while (
        j + 1 < replacement.length &&
        /[0-9]/.test(replacement[j + 1]) &&
        group * 10 + Number(replacement[j + 1]) < match.length
      ) {
        group = group * 10 + Number(replacement[j + 1]);
        j += 1;
      }
      if (group >= match.length) throw new Error(`No group ${group}`);
      out += match[group] ?? '';
      i = j;
    } else {
      out += ch;
    }
  }
  return out;
}

function replaceWith(text: string, regex: RegExp, replacement: string): string {
  // A function, never the string itself: JavaScript would read its $&, $` and $$.
  if (!replacement.includes('$') && !replacement.includes('\\')) return text.replace(regex, () => replacement);
  return text.replace(regex, (...args: unknown[]) => {
    // The callback gets (match, g1..gn, offset, string[, groups]).
    const hasGroups = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== undefined;
    const groups = hasGroups ? (args[args.length - 1] as Record<string, string | undefined>) : undefined;
    const match = args.slice(0, args.length - (hasGroups ? 3 : 2)) as string[];
    return expandReplacement(replacement, match, groups);
  });
}

const LITERAL_CACHE = new Map<string, string | null>();

/** The text a pattern matches when it is plain characters (`\\'`, `-`), else null. */
function literalOf(pattern: string): string | null {
  let literal = LITERAL_CACHE.get(pattern);
  if (literal !== undefined) return literal;
  literal = '';
  for (let i = 0; i < pattern.length && literal !== null; i += 1) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1];
      // `\d`, `\Q`, `\1`, ...: an escaped letter or digit means something.
      literal = next === undefined || /[A-Za-z0-9]/.test(next) ? null : literal + next;
      i += 1;
    } else literal = '^$.|?*+()[]{}'.includes(ch) ? null : literal + ch;
  }
  if (literal === '') literal = null;
  if (LITERAL_CACHE.size < CACHE_LIMIT) LITERAL_CACHE.set(pattern, literal);
  return literal;
}

export function javaReplaceAll(text: string, pattern: string, replacement: string): string {
  // No match, no change (and, as in Java, the replacement is not even read).
  const literal = literalOf(pattern);
  if (literal !== null && !text.includes(literal)) return text;
  return replaceWith(text, javaRegex(pattern, 'g'), replacement);
}

export function javaReplaceFirst(text: string, pattern: string, replacement: string): string {
  return replaceWith(text, javaRegex(pattern), replacement);
}

/** String.matches: the whole string must match (not a search). */
export function javaMatches(text: string, pattern: string): boolean {
  return javaRegex(pattern, '', true).test(text);
}

/** String.split: by a regex; with limit 0 (none), trailing empty strings are dropped. */
export function javaSplit(text: string, pattern: string, limit = 0): string[] {
  const regex = javaRegex(pattern, 'g');
  const parts: string[] = [];
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null) {
    if (match[0] === '') {
      regex.lastIndex += 1;
      // A zero-width match at the start or the end splits nothing (Java 8 and later).
      if (match.index === 0 || match.index >= text.length) continue;
    }
    if (limit > 0 && parts.length === limit - 1) break;
    parts.push(text.slice(last, match.index));
    last = match.index + match[0].length;
  }
  // No match at all: the whole string, even when it is empty.
  if (parts.length === 0) return [text];
  parts.push(text.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
