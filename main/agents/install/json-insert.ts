// Adding to a JSON document the way a person would by hand: the rest of the text stays
// byte for byte, the new part is indented like its neighbours. jsonc-parser finds the places;
// its own formatter would re-flow neighbouring lines, so the new text is laid out here.
import { applyEdits, findNodeAtLocation, modify, parseTree, type Edit, type Node } from 'jsonc-parser';

export interface JsonStyle {
  /** One level of indentation: two spaces, four, a tab. */
  unit: string;
  eol: string;
}

/** The indentation and line ending a document already uses (two spaces and \n for a new one). */
export function styleOf(text: string): JsonStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)\S/.exec(text);
  return { unit: indented?.[1] ?? '  ', eol };
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** Whether the node's children each start a line of their own (the layout to copy). */
function childrenOnOwnLines(text: string, node: Node): boolean {
  const first = node.children?.[0];
  if (!first) return text.slice(node.offset, node.offset + node.length).includes('\n');
  return /\n[ \t]*$/.test(text.slice(node.offset, first.offset));
}

function pretty(value: unknown, indent: string, style: JsonStyle): string {
  return JSON.stringify(value, null, style.unit).replace(/\n/g, `${style.eol}${indent}`);
}

/** The edit that adds `value` at the end of an array node, or null when the layout is not one to copy. */
function appendToArray(text: string, array: Node, value: unknown, style: JsonStyle): Edit | null {
  const items = array.children ?? [];
  if (items.length === 0) {
    const outer = lineIndent(text, array.offset);
    const inner = outer + style.unit;
    return { offset: array.offset, length: array.length, content: `[${style.eol}${inner}${pretty(value, inner, style)}${style.eol}${outer}]` };
  }
  if (!childrenOnOwnLines(text, array)) return null;
  const last = items[items.length - 1] as Node;
  const indent = lineIndent(text, last.offset);
  return { offset: last.offset + last.length, length: 0, content: `,${style.eol}${indent}${pretty(value, indent, style)}` };
}

/** The edit that adds `"key": value` at the end of an object node, or null when the layout is not one to copy. */
function addProperty(text: string, object: Node, key: string, value: unknown, style: JsonStyle): Edit | null {
  const props = object.children ?? [];
  if (props.length === 0) {
    const outer = lineIndent(text, object.offset);
    const inner = outer + style.unit;
    return {
      offset: object.offset,
      length: object.length,
      content: `{${style.eol}${inner}${JSON.stringify(key)}: ${pretty(value, inner, style)}${style.eol}${outer}}`,
    };
  }
  if (!childrenOnOwnLines(text, object)) return null;
  const last = props[props.length - 1] as Node;
  const indent = lineIndent(text, last.offset);
  return { offset: last.offset + last.length, length: 0, content: `,${style.eol}${indent}${JSON.stringify(key)}: ${pretty(value, indent, style)}` };
}

/**
 * Set `value` at `path` (creating the last object key, or appending when the last step is
 * the array's length), touching nothing else. Parents must exist.
 */
export function insertAt(text: string, path: (string | number)[], value: unknown): string {
  const style = styleOf(text);
  const root = parseTree(text);
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1] as string | number;
  const parent = root && (parentPath.length === 0 ? root : findNodeAtLocation(root, parentPath));
  let edit: Edit | null = null;
  if (parent?.type === 'array' && typeof last === 'number') edit = appendToArray(text, parent, value, style);
  else if (parent?.type === 'object' && typeof last === 'string') edit = addProperty(text, parent, last, value, style);
  if (edit) return applyEdits(text, [edit]);
  // A one-line container: jsonc-parser's compact insertion keeps it on its line.
  return applyEdits(text, modify(text, path, value, { isArrayInsertion: typeof last === 'number' }));
}

/** Replace the value at `path` in place. */
export function replaceAt(text: string, path: (string | number)[], value: unknown): string {
  return applyEdits(text, modify(text, path, value, {}));
}

/**
 * Remove the array element or object property at `path` with its comma and the line it
 * stood on, as a person deleting it would; the neighbours stay as they were.
 */
export function removeAt(text: string, path: (string | number)[]): string {
  const root = parseTree(text);
  const found = root && findNodeAtLocation(root, path);
  if (!found) return text;
  // An object property is its key-value pair; an array element is itself.
  const member = found.parent?.type === 'property' ? found.parent : found;
  const container = member.parent;
  if (!container) return text;
  const siblings = container.children ?? [];
  const index = siblings.indexOf(member);
  const previous = siblings[index - 1];
  const next = siblings[index + 1];
  const end = member.offset + member.length;
  if (previous) return text.slice(0, previous.offset + previous.length) + text.slice(end);
  if (next) return text.slice(0, lineStart(text, member.offset)) + text.slice(lineStart(text, next.offset));
  // The only member: leave the container empty, closed on the same line.
  return text.slice(0, container.offset + 1) + text.slice(container.offset + container.length - 1);
}

/** Where the line holding `offset` starts, when only whitespace precedes it there; else offset. */
function lineStart(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(start, offset)) ? start : offset;
}
