// The common frontmatter block — one `key: value` per line, plain words, whole numbers, true or
// false, `[]` — read without the yaml package's composer, which was most of the time a start
// spent parsing (each block builds a CST, a document and its nodes). Anything else, however
// ordinary, returns null and is parsed by the yaml package as before: this path must give
// exactly what the package gives (YAML 1.2 core schema) for every block it accepts, so it
// accepts only forms whose meaning under that schema is unambiguous.

const LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(.*))?$/;
/** Plain scalars from these characters cannot be indicators, comments, aliases or flow syntax. */
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9 _./()-]*$/;
/** Plain scalars the core schema reads as null, booleans or floats, or ints other than decimal. */
const RESOLVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$|^[-+.0-9][-+.0-9eE]*$|^0[xXoO]/;
const DECIMAL = /^[0-9]{1,15}$/;
/** Quoted strings without escapes or control characters: their text is their value. */
const DOUBLE_QUOTED = /^"([^"\\\p{Cc}]*)"$/u;
const SINGLE_QUOTED = /^'([^'\p{Cc}]*)'$/u;

/** The value of one line's scalar, or undefined when it is not one of the forms read here. */
function scalar(text: string): unknown {
  if (text === '') return null;
  if (text === '[]') return [];
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (DECIMAL.test(text)) return Number(text);
  const quoted = DOUBLE_QUOTED.exec(text) ?? SINGLE_QUOTED.exec(text);
  if (quoted) return quoted[1];
  if (!PLAIN.test(text) || text.endsWith(' ') || RESOLVED.test(text)) return undefined;
  return text;
}

/**
 * The block as the yaml package would read it, when every line is blank or a flat
 * `key: value`; null when any line is anything else (the caller then parses it the full way).
 */
export function readFlatYaml(block: string): Record<string, unknown> | null {
  const data: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const line of block.split('\n')) {
    if (line === '') continue;
    const match = LINE.exec(line);
    if (!match) return null;
    const key = match[1]!;
    // A repeated key is an error in the package; `__proto__` and keys the schema resolves
    // (true, null, …) are left to it too.
    if (seen.has(key) || key === '__proto__' || RESOLVED.test(key)) return null;
    seen.add(key);
    const value = scalar(match[2] ?? '');
    if (value === undefined) return null;
    data[key] = value;
  }
  return data;
}
