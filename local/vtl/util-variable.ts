/** `$util`: API Gateway's helpers, with Java's escaping and URL encoding rules. */
import * as importedJavaValues from './java-values';
import { parseJsonDocument } from './json-document';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter, a cost
// that shows in a batch render's profile (node --cpu-prof).
const { javaString } = importedJavaValues;

const hex = (code: number, width: number): string => code.toString(16).toUpperCase().padStart(width, '0');

/** Any character but printable ASCII other than ' " / \ (DEL is left as it is, as commons-lang does). */
const NEEDS_ESCAPE = /[^ !#-&(-.0-[\]-\x7f]/;

/**
 * commons-lang's StringEscapeUtils.escapeJavaScript, which API Gateway uses: it escapes `'` as
 * `\'` (not valid JSON: templates undo it with `.replaceAll("\\'", "'")`), `"`, `\`, `/`,
 * control characters, and every non-ASCII UTF-16 unit as `\uXXXX`.
 */
export function escapeJavaScript(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (code > 0x7f) out += `\\u${hex(code, 4)}`;
    else if (code < 0x20) {
      out += { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[code] ?? `\\u${hex(code, 4)}`;
    } else if (ch === "'" || ch === '"' || ch === '\\' || ch === '/') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** Java's URLEncoder with UTF-8: letters, digits and `.-*_` stay, space is `+`, the rest %XX. */
export function urlEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${hex(byte, 2)}`;
  }
  return out;
}

/**
 * Java's URLDecoder with UTF-8: `+` is a space, each run of %XX is decoded as UTF-8 bytes
 * (malformed sequences become U+FFFD, as Java's decoder does); a bad % escape is an error.
 */
export function urlDecode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i];
    if (ch === '+') {
      out += ' ';
      i += 1;
    } else if (ch === '%') {
      const bytes: number[] = [];
      while (i < text.length && text[i] === '%') {
        const hexDigits = text.slice(i + 1, i + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hexDigits))
          throw new Error(`URLDecoder: Illegal hex characters in escape (%) pattern: ${text.slice(i, i + 3)}`);
        bytes.push(parseInt(hexDigits, 16));
        i += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/**
 * Base64 of the text's UTF-8 bytes. Text of ASCII only (one byte per character) has the same
 * bytes in Latin-1, which btoa encodes several times faster than a Buffer round trip.
 */
export function base64OfUtf8(text: string): string {
  return Buffer.byteLength(text, 'utf8') === text.length ? btoa(text) : Buffer.from(text, 'utf8').toString('base64');
}

export class UtilVariable {
  escapeJavaScript(value: unknown): string {
    return escapeJavaScript(javaString(value));
  }

  base64Encode(value: unknown): string {
    return base64OfUtf8(javaString(value));
  }

  base64Decode(value: unknown): string {
    return Buffer.from(javaString(value), 'base64').toString('utf8');
  }

  urlEncode(value: unknown): string {
    return urlEncode(javaString(value));
  }

  urlDecode(value: unknown): string {
    return urlDecode(javaString(value));
  }

  /** Live values, like $input.path's, with lossless numbers. */
  parseJson(value: unknown): unknown {
    return parseJsonDocument(javaString(value)).root;
  }
}
