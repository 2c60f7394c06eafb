// Vigil's `notify` program in Codex's config (`$CODEX_HOME/config.toml`). Codex reads
// `notify` only from the user's config (a project's .codex/config.toml may not set it), so
// there is one for all projects: sessions are placed by the cwd Codex reports. A notify
// program the user already had keeps running: Vigil's hook runs it with the same argument.
// Pure: text in, text out; smol-toml checks what is read, the rest of the file stays as written.
import { parse } from 'smol-toml';

export class CodexConfigError extends Error {}

function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new CodexConfigError(`${file} is not valid TOML (${(err as Error).message.split('\n')[0]}); fix it and try again — nothing was changed.`);
  }
}

export function isVigilNotify(argv: readonly string[]): boolean {
  return argv.some((a) => /hook\.c?js$/.test(a)) && argv.includes('codex') && argv.includes('--config-dir');
}

/** The notify program in the config, if any. */
export function codexNotifyIn(text: string, file: string): string[] | null {
  const notify = parseToml(text, file).notify;
  if (notify === undefined) return null;
  if (!Array.isArray(notify) || !notify.every((a) => typeof a === 'string')) throw new CodexConfigError(`"notify" in ${file} is not a list of strings; nothing was changed.`);
  return notify as string[];
}

/** The program Vigil's notify runs after itself (`--chain`), if any. */
export function chainedNotify(argv: readonly string[]): string[] | null {
  const i = argv.indexOf('--chain');
  if (i < 0) return null;
  try {
    const chain: unknown = JSON.parse(argv[i + 1] ?? '');
    return Array.isArray(chain) && chain.every((a) => typeof a === 'string') ? (chain as string[]) : null;
  } catch {
    return null;
  }
}

const tomlArray = (argv: readonly string[]): string => `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;

/** Lines [start, end) of the top-level `notify = …` assignment, or null. */
function notifySpan(text: string, file: string): { start: number; end: number } | null {
  const lines = text.split(/(?<=\n)/);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // Top-level keys come before the first table.
    if (/^\s*\[/.test(line)) return null;
    if (/^\s*notify\s*=/.test(line)) {
      let end = offset;
      for (let j = i; j < lines.length; j++) {
        end += (lines[j] as string).length;
        try {
          if (parse(text.slice(offset, end)).notify !== undefined) return { start: offset, end };
        } catch {
          // The array goes on over more lines.
        }
      }
      throw new CodexConfigError(`The notify setting in ${file} could not be read; nothing was changed.`);
    }
    offset += line.length;
  }
  return null;
}

/** The config with Vigil's notify (`vigilArgv`), chaining whatever notify was there before. */
export function addCodexNotify(text: string | null, vigilArgv: readonly string[], file: string): { text: string; changed: boolean; chained: string[] | null } {
  const original = text ?? '';
  const existing = text ? codexNotifyIn(text, file) : null;
  const chain = existing ? (isVigilNotify(existing) ? chainedNotify(existing) : existing) : null;
  const argv = chain ? [...vigilArgv, '--chain', JSON.stringify(chain)] : [...vigilArgv];
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const line = `notify = ${tomlArray(argv)}${eol}`;
  const span = text ? notifySpan(text, file) : null;
  const out = span ? original.slice(0, span.start) + line + original.slice(span.end) : line + original;
  parseToml(out, file);
  return { text: out, changed: out !== original, chained: chain };
}

/** The config without Vigil's notify: the chained program put back as it was, or the line gone. */
export function removeCodexNotify(text: string, file: string): { text: string; removed: boolean } {
  const existing = codexNotifyIn(text, file);
  if (!existing || !isVigilNotify(existing)) return { text, removed: false };
  const span = notifySpan(text, file) as { start: number; end: number };
  const chain = chainedNotify(existing);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const replacement = chain ? `notify = ${tomlArray(chain)}${eol}` : '';
  return { text: text.slice(0, span.start) + replacement + text.slice(span.end), removed: true };
}
