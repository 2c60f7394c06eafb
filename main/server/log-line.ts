// Server log lines quote what clients send (a request path, a log path, an event name). A
// newline in one of those must not start a line of its own that reads like the server's — so
// every control character is written as an escape, and an overlong line is cut.

const MAX_LINE_CHARS = 1000;

/** `line` with CR, LF and every other control character escaped (`\n`, `\u001b`), at most 1000 characters. */
export function safeLogLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = line.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return escaped.length > MAX_LINE_CHARS ? `${escaped.slice(0, MAX_LINE_CHARS)}… (${escaped.length - MAX_LINE_CHARS} more characters)` : escaped;
}
