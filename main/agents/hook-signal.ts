// What an agent's hook said, in one vocabulary. `vigil hook` posts `{agent, event?, payload}`:
// Claude Code's hook JSON as Claude wrote it, Codex's `notify` argument, or a generic event.
// Each is validated here (zod) and turned into a signal the session tracker applies. Pure.
import { z } from 'zod';

/** Largest body the hook endpoint reads; `vigil hook` trims long strings to stay far below. */
export const MAX_HOOK_BODY_BYTES = 64 * 1024;
/** Longest message kept on a session (a prompt's question, an agent's last words). */
export const MAX_MESSAGE_CHARS = 500;

/** What happened, as the session tracker understands it. */
export type SignalKind =
  /** The session began (SessionStart); it waits for its first prompt. */
  | 'start'
  /** The agent is at work (a prompt was submitted, a tool ran, a subagent finished). */
  | 'working'
  /** The agent waits for its user: a permission prompt, a question, an idle prompt. */
  | 'needs-input'
  /** The agent finished its turn (Stop, Codex's agent-turn-complete). */
  | 'idle'
  /** The session is over (SessionEnd). */
  | 'end'
  /** Something the session said that changes nothing (an auth notice). */
  | 'noise';

export interface AgentSignal {
  agent: string;
  /** The agent's own session id (Claude's session_id, Codex's thread-id). */
  sessionId: string;
  /** The working folder, absolute, as the agent reported it. */
  cwd: string;
  kind: SignalKind;
  message?: string;
  /** An item id the hook named (`vigil hook --item`, or VIGIL_ITEM in the agent's environment). */
  itemId?: string;
}

const name = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore');
const text = z.string().max(MAX_HOOK_BODY_BYTES);
const absoluteCwd = z.string().min(1).max(4096).refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path');
const sessionId = z.string().min(1).max(200);

/** The body `vigil hook` posts. */
export const HookPostSchema = z
  .object({
    agent: name,
    /** For the generic form (`--event`); Claude and Codex name the event inside their payload. */
    event: name.optional(),
    /** The cwd `vigil hook` ran in, used when the payload names none. */
    cwd: absoluteCwd.optional(),
    itemId: z.string().min(1).max(200).optional(),
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type HookPost = z.infer<typeof HookPostSchema>;

/** Fields every Claude Code hook event carries (unknown ones are allowed: new versions add fields). */
const ClaudeHookSchema = z.looseObject({
  session_id: sessionId,
  cwd: absoluteCwd.optional(),
  hook_event_name: z.string().min(1).max(64),
  /** SessionStart: startup | resume | clear | compact. */
  source: z.string().max(64).optional(),
  /** UserPromptSubmit. */
  prompt: text.optional(),
  /** Notification. */
  message: text.optional(),
  title: text.optional(),
  notification_type: z.string().max(64).optional(),
  /** Stop / SubagentStop (newer versions). */
  last_assistant_message: text.optional(),
  /** SessionEnd: clear | logout | prompt_input_exit | other. */
  reason: z.string().max(64).optional(),
});

/** Codex's `notify` argument (kebab-case keys); only `agent-turn-complete` exists today. */
const CodexNotifySchema = z.looseObject({
  type: z.string().min(1).max(64),
  'thread-id': sessionId.optional(),
  'turn-id': z.string().max(200).optional(),
  cwd: absoluteCwd.optional(),
  'input-messages': z.array(text).max(100).optional(),
  'last-assistant-message': text.nullable().optional(),
});

/** `vigil hook --agent NAME --event EVENT`: the event is one of the session states, or start/end. */
const GENERIC_EVENTS: Record<string, SignalKind> = {
  start: 'start',
  started: 'start',
  working: 'working',
  prompt: 'working',
  'needs-input': 'needs-input',
  waiting: 'needs-input',
  idle: 'idle',
  done: 'idle',
  stop: 'idle',
  end: 'end',
  ended: 'end',
};
export const GENERIC_EVENT_NAMES = Object.keys(GENERIC_EVENTS);

const GenericPayloadSchema = z.looseObject({
  session_id: sessionId.optional(),
  cwd: absoluteCwd.optional(),
  message: text.optional(),
});

/** Claude Code notification types that are about the session, not a wait for the user. */
const CLAUDE_INFORMATIONAL_NOTIFICATIONS = new Set(['auth_success']);

export type SignalResult = { ok: true; signal: AgentSignal } | { ok: false; message: string };

function firstProblem(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return `Invalid ${what}${where}: ${issue?.message ?? 'bad value'}`;
}

/** One line, cut to MAX_MESSAGE_CHARS, or undefined when there is nothing to say. */
export function shortMessage(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const flat = value.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…` : flat;
}

function claudeKind(event: string, notificationType: string | undefined): SignalKind {
  switch (event) {
    case 'SessionStart':
      return 'start';
    case 'Notification':
      return notificationType && CLAUDE_INFORMATIONAL_NOTIFICATIONS.has(notificationType) ? 'noise' : 'needs-input';
    case 'Stop':
      return 'idle';
    case 'SessionEnd':
      return 'end';
    // UserPromptSubmit, SubagentStop, PreToolUse, PostToolUse, PreCompact and whatever comes
    // next: the session is alive and at work.
    default:
      return 'working';
  }
}

function fromClaude(post: HookPost): SignalResult {
  const parsed = ClaudeHookSchema.safeParse(post.payload);
  if (!parsed.success) return { ok: false, message: firstProblem(parsed.error, 'Claude Code hook payload') };
  const p = parsed.data;
  const cwd = p.cwd ?? post.cwd;
  if (!cwd) return { ok: false, message: 'The Claude Code hook payload names no cwd.' };
  const kind = claudeKind(p.hook_event_name, p.notification_type);
  const message =
    kind === 'needs-input'
      ? shortMessage(p.message ?? p.title)
      : kind === 'idle'
        ? shortMessage(p.last_assistant_message)
        : kind === 'working' && p.hook_event_name === 'UserPromptSubmit'
          ? shortMessage(p.prompt)
          : kind === 'end'
            ? shortMessage(p.reason ? `Session ended (${p.reason})` : undefined)
            : undefined;
  return { ok: true, signal: { agent: 'claude', sessionId: p.session_id, cwd, kind, message, itemId: post.itemId } };
}

function fromCodex(post: HookPost): SignalResult {
  const parsed = CodexNotifySchema.safeParse(post.payload);
  if (!parsed.success) return { ok: false, message: firstProblem(parsed.error, 'Codex notify payload') };
  const p = parsed.data;
  const cwd = p.cwd ?? post.cwd;
  if (!cwd) return { ok: false, message: 'The Codex notify payload names no cwd.' };
  const threadId = p['thread-id'];
  if (!threadId) return { ok: false, message: 'The Codex notify payload names no thread-id.' };
  const kind: SignalKind = p.type === 'agent-turn-complete' ? 'idle' : /approval|input/.test(p.type) ? 'needs-input' : 'working';
  const message = kind === 'idle' ? shortMessage(p['last-assistant-message']) : undefined;
  return { ok: true, signal: { agent: 'codex', sessionId: threadId, cwd, kind, message, itemId: post.itemId } };
}

function fromGeneric(post: HookPost): SignalResult {
  const kind = post.event ? GENERIC_EVENTS[post.event] : undefined;
  if (!kind) {
    return { ok: false, message: `Unknown event ${JSON.stringify(post.event ?? '')} for agent ${post.agent}; use one of ${GENERIC_EVENT_NAMES.join(', ')}.` };
  }
  const parsed = GenericPayloadSchema.safeParse(post.payload);
  if (!parsed.success) return { ok: false, message: firstProblem(parsed.error, 'hook payload') };
  const cwd = parsed.data.cwd ?? post.cwd;
  if (!cwd) return { ok: false, message: 'The hook names no cwd.' };
  // Without a session id, one session per agent and folder: what a simple script means.
  const session = parsed.data.session_id ?? `${cwd}`;
  return {
    ok: true,
    signal: { agent: post.agent, sessionId: session, cwd, kind, message: shortMessage(parsed.data.message), itemId: post.itemId },
  };
}

/** Validate a posted body and read the signal in it. Never throws. */
export function signalFromPost(body: unknown): SignalResult {
  const parsed = HookPostSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: firstProblem(parsed.error, 'hook post') };
  const post = parsed.data;
  if (post.agent === 'claude' && !post.event) return fromClaude(post);
  if (post.agent === 'codex' && !post.event) return fromCodex(post);
  return fromGeneric(post);
}
