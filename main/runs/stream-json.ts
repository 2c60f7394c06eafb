// Claude Code's `--output-format stream-json`: one JSON object per line. Vigil reads two
// things from it — what the agent is doing now (assistant text, tool calls) as progress
// messages, and the final `result` line's usage and cost. Anything else, or a line that is
// not such JSON, is plain output and only goes to the log.
import type { RunTokens } from '../../shared/model';

export interface StreamJsonFacts {
  /** A short account of what the agent is doing, for `command:progress`. */
  progress: string | null;
  /** From the final `result` line. */
  usage: { tokens: RunTokens; costUsd: number | null } | null;
}

const MAX_MESSAGE = 200;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);

/** The first line of `text`, cut to a length a list row can show. */
function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0]?.trim() ?? '';
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

/** `Edit src/app.ts`, `Bash: npm test`: a tool call as a person would say it. */
function describeTool(block: Record<string, unknown>): string | null {
  const name = str(block.name);
  if (!name) return null;
  const input = isRecord(block.input) ? block.input : {};
  const target = str(input.file_path) ?? str(input.path) ?? str(input.pattern) ?? str(input.url) ?? str(input.description);
  if (name === 'Bash') {
    const command = str(input.command);
    return firstLine(`Bash: ${command ?? target ?? ''}`);
  }
  return firstLine(target ? `${name} ${target}` : name);
}

function assistantProgress(message: unknown): string | null {
  if (!isRecord(message) || !Array.isArray(message.content)) return null;
  // The last block is the newest thing the agent did in this message.
  for (let i = message.content.length - 1; i >= 0; i--) {
    const block: unknown = message.content[i];
    if (!isRecord(block)) continue;
    if (block.type === 'tool_use') {
      const described = describeTool(block);
      if (described) return described;
    }
    if (block.type === 'text') {
      const text = str(block.text);
      if (text) return firstLine(text);
    }
  }
  return null;
}

function resultUsage(line: Record<string, unknown>): StreamJsonFacts['usage'] {
  const usage = isRecord(line.usage) ? line.usage : {};
  const cost = typeof line.total_cost_usd === 'number' ? line.total_cost_usd : typeof line.cost_usd === 'number' ? line.cost_usd : null;
  return {
    tokens: {
      input: count(usage.input_tokens),
      output: count(usage.output_tokens),
      cacheRead: count(usage.cache_read_input_tokens),
      cacheCreation: count(usage.cache_creation_input_tokens),
    },
    costUsd: cost !== null && Number.isFinite(cost) && cost >= 0 ? cost : null,
  };
}

/** What one line of output says, or null when it is not a stream-json message Vigil reads. */
export function readStreamJsonLine(text: string): StreamJsonFacts | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return null;
  let line: unknown;
  try {
    line = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (!isRecord(line) || typeof line.type !== 'string') return null;
  switch (line.type) {
    case 'system':
      if (line.subtype !== 'init') return null;
      return { progress: str(line.model) ? `Session started (${line.model as string})` : 'Session started', usage: null };
    case 'assistant': {
      const progress = assistantProgress(line.message);
      return progress ? { progress, usage: null } : null;
    }
    case 'result': {
      const said = str(line.result);
      const failed = line.is_error === true || (typeof line.subtype === 'string' && line.subtype.startsWith('error'));
      const progress = failed ? `Error: ${firstLine(said ?? String(line.subtype))}` : said ? `Done: ${firstLine(said)}` : 'Done';
      return { progress, usage: resultUsage(line) };
    }
    default:
      return null;
  }
}

/** All tokens of a run as one number (the sprint runner's `metrics.tokens`). */
export function totalTokens(tokens: RunTokens | null): number | null {
  return tokens ? tokens.input + tokens.output + tokens.cacheRead + tokens.cacheCreation : null;
}
