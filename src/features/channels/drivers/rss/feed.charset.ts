import iconv from 'iconv-lite';

/**
 * Feed bytes to text. Order of authority (RFC 7303, then practice): a byte-order mark, the Content-Type charset,
 * the XML declaration's encoding, else UTF-8. Bytes labelled UTF-8 that are not valid UTF-8 are read as
 * Windows-1252, the usual truth behind that mislabel; an unknown label falls through to the next source.
 */
export interface DecodedFeed {
  text: string;
  charset: string;
  /** Set when the label could not be trusted and another charset was used. */
  fallback: string | null;
}

function charsetOfContentType(contentType: string | null): string | null {
  const match = contentType ? /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})"?/i.exec(contentType) : null;
  return match ? match[1].toLowerCase() : null;
}

function charsetOfDeclaration(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 512).toString('latin1');
  const match = /^\s*<\?xml[^>]{0,400}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head);
  return match ? match[1].toLowerCase() : null;
}

function isUtf8Label(label: string): boolean {
  return label === 'utf-8' || label === 'utf8';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeFeedBytes(bytes: Buffer, contentType: string | null): DecodedFeed {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes.subarray(3), 'utf-8');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), charset: 'utf-16be', fallback: null };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), charset: 'utf-16le', fallback: null };

  const labels = [charsetOfContentType(contentType), charsetOfDeclaration(bytes)].filter((l): l is string => l !== null);
  for (const label of labels) {
    if (isUtf8Label(label)) return decodeUtf8(bytes, label);
    // UTF-16 without a byte-order mark is almost always a wrong label on an ASCII-compatible body.
    if (label.startsWith('utf-16') || label.startsWith('utf16')) continue;
    if (iconv.encodingExists(label)) return { text: iconv.decode(bytes, label), charset: label, fallback: null };
  }
  const result = decodeUtf8(bytes, 'utf-8');
  return labels.length > 0 && result.fallback === null ? { ...result, fallback: 'utf-8' } : result;
}

function decodeUtf8(bytes: Buffer, label: string): DecodedFeed {
  try {
    return { text: strictUtf8.decode(bytes), charset: label, fallback: null };
  } catch {
    return { text: iconv.decode(bytes, 'windows-1252'), charset: label, fallback: 'windows-1252' };
  }
}
