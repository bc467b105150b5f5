/**
 * Bodies whose bytes cannot be stored as they were sent. The templates read a body as UTF-8 text
 * and Kinesis stores the UTF-8 bytes of what they produce: invalid UTF-8, text in another charset,
 * or a JSON escape of half a UTF-16 surrogate pair would each come out as U+FFFD, silently. API
 * Gateway documents nothing for these cases; the local gateway refuses them with a 400 that says
 * what to send instead (binary data belongs in `dataBase64`). Reasons hold no quote or backslash:
 * they are substituted into a JSON gateway response as they are.
 */
import { isUtf8 } from 'node:buffer';

const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

function declaredCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1].toLowerCase();
}

/** The offset of the first byte outside ASCII, or -1. */
function firstNonAscii(body: Buffer): number {
  for (let i = 0; i < body.length; i += 1) if (body[i] > 0x7f) return i;
  return -1;
}

/** The first `\uXXXX` escape of a surrogate without its other half, as U+XXXX, or undefined. */
function loneSurrogateEscape(text: string): string | undefined {
  // An escape is a `\u` after an odd run of backslashes (an even run is escaped backslashes).
  const escapes = /(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})/g;
  let pendingHigh: { code: string; end: number } | undefined;
  for (let m = escapes.exec(text); m !== null; m = escapes.exec(text)) {
    if (m[1].length % 2 === 0) continue;
    const start = m.index + m[1].length - 1;
    const code = m[2];
    const high = /^[dD][89abAB]/.test(code);
    if (pendingHigh !== undefined) {
      if (!high && start === pendingHigh.end) {
        pendingHigh = undefined;
        continue;
      }
      return `U+${pendingHigh.code.toUpperCase()}`;
    }
    if (!high) return `U+${code.toUpperCase()}`;
    pendingHigh = { code, end: m.index + m[0].length };
  }
  return pendingHigh === undefined ? undefined : `U+${pendingHigh.code.toUpperCase()}`;
}

/** Why this body cannot be stored as sent, or undefined when it can. */
export function unstorableBodyReason(body: Buffer, contentType: string | undefined): string | undefined {
  if (body.length === 0) return undefined;
  const charset = declaredCharset(contentType);
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
    const at = firstNonAscii(body);
    if (at !== -1)
      return `the body is declared as charset=${charset} and has a non-ASCII byte at offset ${at}: send the body as UTF-8 (binary data as dataBase64)`;
  }
  if (!isUtf8(body)) return 'the body is not valid UTF-8: send UTF-8 text, or binary data as dataBase64';
  const lone = loneSurrogateEscape(body.toString('utf8'));
  if (lone !== undefined)
    return `the body escapes half a UTF-16 surrogate pair (a lone ${lone} escape), which has no UTF-8 form: send the whole character, or binary data as dataBase64`;
  return undefined;
}
