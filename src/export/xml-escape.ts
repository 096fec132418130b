/**
 * Text for XML 1.0 documents. Escaping makes markup characters data; removal handles what XML 1.0
 * cannot hold at all (most C0 controls, U+FFFE/U+FFFF, unpaired surrogates), which not even a
 * character reference may carry: a document containing them does not parse.
 */

/** Characters outside XML 1.0's Char production; in a `u` regex [\ud800-\udfff] matches only unpaired surrogates. */
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu;

/** Element content: & and < must be escaped, > too (so "]]>" cannot appear); CR as a reference, or parsers turn it into LF. */
export function xmlText(text: string): string {
  return withoutForbiddenCharacters(text).replace(/[&<>\r]/g, (character) => TEXT_REFERENCES[character] ?? character);
}

/** Attribute values (always written in double quotes): quotes escaped, and tab/LF/CR as references, which attribute normalisation would otherwise turn into spaces. */
export function xmlAttribute(text: string): string {
  return withoutForbiddenCharacters(text).replace(/[&<>"'\t\n\r]/g, (character) => ATTRIBUTE_REFERENCES[character] ?? character);
}

function withoutForbiddenCharacters(text: string): string {
  return text.replace(NOT_XML_CHARACTERS, '');
}

const TEXT_REFERENCES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTRIBUTE_REFERENCES: Readonly<Record<string, string>> = { ...TEXT_REFERENCES, '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;' };
