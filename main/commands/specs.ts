// Every public command with its arguments and options, in one place: `vigil --help` and each
// `vigil <command> --help` are printed from here, and each command parses its arguments with
// its spec, so an option cannot exist without its help line. These are public interfaces that
// scripts rely on: options are only ever added.
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The placeholder of the value in the help (`N`, `H`); boolean options have none. */
  value?: string;
  /** May be given more than once (its value is then a list). */
  multiple?: boolean;
  help: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  /** What follows the name in the usage line, e.g. `<folder…>`. */
  synopsis: string;
  summary: string;
  details?: string;
  /** 'some': at least one is required; 'none': any is a usage error. */
  positionals: 'any' | 'some' | 'none';
  /** What one positional is, for the error when it is missing. */
  positionalName?: string;
  options: O;
}

const configDir = { type: 'string', value: 'D', help: 'Where projects, settings and tokens live (default: VIGIL_CONFIG_DIR or ~/.config/vigil)' } as const;
const json = { type: 'boolean', help: 'Print JSON for scripts instead of text' } as const;

export const SCAN = {
  name: 'scan',
  synopsis: '<folder…>',
  summary: 'Read each folder once and report the plans, stubs and work orders its planning files hold.',
  positionals: 'some',
  positionalName: 'folder to scan',
  options: {
    json: { type: 'boolean', help: 'Print one JSON document: {"projects":[{root, name, sources, plans, stubs, workorders, issues}]}' },
  },
} as const satisfies CommandSpec;

export const WATCH = {
  name: 'watch',
  synopsis: '<folder…>',
  summary: 'Watch folders and print every change as it happens, until Ctrl-C.',
  positionals: 'some',
  positionalName: 'folder to watch',
  options: {
    json: { type: 'boolean', help: 'One JSON object per line: first the hello snapshot, then each event' },
  },
} as const satisfies CommandSpec;

export const SERVE = {
  name: 'serve',
  synopsis: '[folder…]',
  summary: 'Run the engine and the web dashboard headless. Prints the read-only URL (and, with --control, a control URL) on stdout.',
  details: 'Folders given here are watched besides the registered ones, and are not saved (`vigil add` saves them).',
  positionals: 'any',
  options: {
    port: { type: 'string', value: 'N', help: 'Port for the dashboard and the API (default 4317; 0 picks a free one)' },
    host: { type: 'string', value: 'H', help: 'Address to listen on (default 127.0.0.1; 0.0.0.0 lets the LAN in, a token is still required)' },
    control: { type: 'boolean', help: 'Also print a control URL, which may add, pause and remove projects (loopback only)' },
    'allow-remote-control': { type: 'boolean', help: 'Allow --control together with a --host other machines can reach' },
    'max-clients': { type: 'string', value: 'N', help: 'Most connections at once (default 64); more are refused with server_full' },
    'max-per-token': { type: 'string', value: 'N', help: 'Most connections one token may hold (default a quarter of --max-clients); more are refused with token_limit' },
    'no-token-print': { type: 'boolean', help: 'Print the URL without its token (get one with `vigil token create`)' },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

export const START = {
  name: 'start',
  synopsis: '',
  summary: 'Open Vigil: the desktop app, or, where it cannot run, the same engine headless with the dashboard in your browser.',
  details:
    'When the Electron binary is missing it is fetched with Electron\'s own downloader. Set BROWSER=none to not open a browser, or\nBROWSER=<command> to open the URL with that command.',
  positionals: 'none',
  options: {
    port: { type: 'string', value: 'N', help: 'Port of the browser dashboard when the desktop app cannot run (default 4317, or a free one if taken)' },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

export const DEMO = {
  name: 'demo',
  synopsis: '',
  summary: 'Serve a temporary workspace with a simulated agent. Ctrl-C (or closing the terminal) deletes it.',
  positionals: 'none',
  options: {
    port: { type: 'string', value: 'N', help: 'Port for the dashboard (default 4317, or a free one if taken; 0 always picks a free one)' },
    host: { type: 'string', value: 'H', help: 'Address to listen on (default 127.0.0.1)' },
    seed: { type: 'string', value: 'N', help: "Make the simulated agent's choices repeatable" },
    verbose: { type: 'boolean', help: 'Print each step the simulated agent takes' },
  },
} as const satisfies CommandSpec;

export const DISCOVER = {
  name: 'discover',
  synopsis: '<folder>',
  summary: 'List the projects under a folder, found by their planning files. Nothing is added.',
  positionals: 'some',
  positionalName: 'folder to look in',
  options: {
    json: { type: 'boolean', help: 'One JSON document {folder, projects:[{root, name, sources, registered}], visitedDirs, limitReached, unreadableDirs}' },
    'max-depth': { type: 'string', value: 'N', help: 'How many folder levels to look down (default 4)' },
    'config-dir': { ...configDir, help: 'Where projects.json lives, to mark registered projects' },
  },
} as const satisfies CommandSpec;

export const TOKEN = {
  name: 'token',
  synopsis: 'list | create | revoke <id>',
  summary: 'Manage the access tokens of the dashboard and the API.',
  details:
    '`create` prints the secret alone on stdout (for scripts) and the URL to open on stderr. A running `vigil serve`\nfollows the token file: a revoke disconnects that token\'s browsers at once.',
  positionals: 'some',
  positionalName: 'action (list, create or revoke)',
  options: {
    scope: { type: 'string', value: 'read|control|hook', help: 'create: what the token may do (default read; control may also add, pause and remove; hook may only post agent events)' },
    label: { type: 'string', value: 'L', help: 'create: a name to recognise it by in `vigil token list`' },
    host: { type: 'string', value: 'H', help: 'create: the host of the URL printed (default 127.0.0.1)' },
    port: { type: 'string', value: 'N', help: 'create: the port of the URL printed (default 4317)' },
    json: { ...json, help: 'list: print the tokens as JSON' },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

export const ADD = {
  name: 'add',
  synopsis: '<folder…>',
  summary: 'Register project folders, in the config folder the app and `vigil serve` share.',
  positionals: 'some',
  positionalName: 'folder to add',
  options: { 'config-dir': configDir },
} as const satisfies CommandSpec;

export const REMOVE = {
  name: 'remove',
  synopsis: '<folder|id…>',
  summary: 'Stop watching registered projects (their files are not touched).',
  positionals: 'some',
  positionalName: 'folder to remove',
  options: { 'config-dir': configDir },
} as const satisfies CommandSpec;

export const LIST = {
  name: 'list',
  synopsis: '',
  summary: 'List the registered projects.',
  positionals: 'none',
  options: { json: { ...json, help: 'Print {projects:[{id, name, root, paused, addedAt}]}' }, 'config-dir': configDir },
} as const satisfies CommandSpec;

export const PAUSE = {
  name: 'pause',
  synopsis: '<folder|id…>',
  summary: 'Pause watching registered projects (or resume them with --resume).',
  positionals: 'some',
  positionalName: 'folder to pause',
  options: { resume: { type: 'boolean', help: 'Resume watching instead' }, 'config-dir': configDir },
} as const satisfies CommandSpec;

export const RUN = {
  name: 'run',
  synopsis: '<folder> <actionId>',
  summary: "Run an action on a project or one of its items: in the running `vigil serve` when there is one, else here.",
  details:
    'A running `vigil serve` of the same config folder that watches the folder runs it (every dashboard sees it); otherwise it runs\nhere and lasts as long as this command (Ctrl-C cancels it). An unknown or untrusted action is one line and exit code 2.',
  positionals: 'some',
  positionalName: 'project folder and action id',
  options: {
    item: { type: 'string', value: 'ID', help: 'Run the action on this plan or stub (its id, as `vigil scan --json` shows it)' },
    follow: { type: 'boolean', help: "Print the run's log as it grows, and exit with the run's exit code" },
    'config-dir': { ...configDir, help: 'Where actions, tokens and a running serve are found (default: VIGIL_CONFIG_DIR or ~/.config/vigil)' },
  },
} as const satisfies CommandSpec;

export const RUNS = {
  name: 'runs',
  synopsis: '',
  summary: 'List the runs Vigil started, newest first: from the running `vigil serve`, or from the history.',
  positionals: 'none',
  options: {
    active: { type: 'boolean', help: 'Only runs that are queued or running' },
    json: { ...json, help: 'Print {"runs":[{id, projectId, action, itemId, state, exitCode, attempt, startedAt, endedAt, logPath}]}' },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

export const ACTION = {
  name: 'action',
  synopsis: 'list [folder] | add <id> … -- <program> [arg…] | add --preset <id> | remove <id> | trust <folder>',
  summary: 'Manage what Vigil may run: your actions, the presets, and trust in a project\'s .vigil/actions.json.',
  details:
    'add: arguments may hold {root} {item.id} {item.path} {item.title} {item.number}, each replaced inside its own argument,\nnever through a shell unless --shell. trust: lets <folder>/.vigil/actions.json run; a change to the file needs a new trust.',
  positionals: 'some',
  positionalName: 'action command (list, add, remove or trust)',
  options: {
    json: { ...json, help: 'list: print the actions, the presets and the project file as JSON' },
    preset: { type: 'string', value: 'ID', help: 'add: turn this preset on instead of defining an action' },
    label: { type: 'string', value: 'L', help: 'add: what the dashboard shows' },
    cwd: { type: 'string', value: 'root|worktree', help: 'add: run in the project folder (default) or in a fresh git worktree per run' },
    'applies-to': { type: 'string', value: 'SOURCE[:KIND]', multiple: true, help: 'add: the items it is offered on (e.g. gsd:plan, speckit:feature); without it, the whole project' },
    'timeout-ms': { type: 'string', value: 'N', help: 'add: stop a run after this long' },
    env: { type: 'string', value: 'NAME=VALUE', multiple: true, help: 'add: a variable for the run' },
    retries: { type: 'string', value: 'N', help: 'add: start a failed run again up to N times' },
    shell: { type: 'boolean', help: 'add: run <program> as a /bin/sh script; the other arguments are its $1, $2, …' },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

export const HISTORY = {
  name: 'history',
  synopsis: '[folder…]',
  summary: 'Print what Vigil recorded, oldest first: status changes, items added and removed, health. Reads only, so it is safe while Vigil runs.',
  details: 'Folders limit it to those projects. `vigil serve`, `vigil demo` and the desktop app record the journal (vigil.db in the config folder).',
  positionals: 'any',
  options: {
    since: { type: 'string', value: 'T', help: 'How far back: 30m, 24h, 7d, 2w, or a date (2026-11-20, an ISO time); default 24h' },
    json: { type: 'boolean', help: 'One JSON event per line (NDJSON): {seq, ts, type, payload, foundOnStart?}' },
    'config-dir': { ...configDir, help: 'Where vigil.db lives (default: VIGIL_CONFIG_DIR or ~/.config/vigil)' },
  },
} as const satisfies CommandSpec;

export const HOOK = {
  name: 'hook',
  synopsis: 'claude | codex <json> | --agent NAME --event EVENT',
  summary: "Pass an agent's hook event to the running Vigil; always exits 0 within 200 ms, printing nothing on stdout.",
  details:
    'vigil hook claude             the hook JSON on stdin (what Claude Code passes)\n' +
    'vigil hook codex <json>       the notify JSON as the argument (what Codex passes)\n' +
    'vigil hook --agent NAME --event start|working|needs-input|idle|end   any other agent (a JSON object on stdin may add session_id, cwd, message)\n' +
    'The running Vigil is found through the config folder (default: VIGIL_CONFIG_DIR or ~/.config/vigil). A Vigil that does not\n' +
    'answer is given up 200 ms after the hook started (at least 50 ms after the post on a machine that started it late; it says so\n' +
    'on stderr). VIGIL_HOOK_MIN_WORK_MS=N lets it wait up to N ms (at most 10000). Set up hooks with `vigil hooks install <folder>`.',
  positionals: 'any',
  options: {
    agent: { type: 'string', value: 'NAME', help: 'generic form: the agent' },
    event: { type: 'string', value: 'EVENT', help: 'generic form: start | working | needs-input | idle | end' },
    session: { type: 'string', value: 'ID', help: 'generic form: the session id' },
    message: { type: 'string', value: 'M', help: 'generic form: what the agent says' },
    cwd: { type: 'string', value: 'D', help: 'generic form: the working folder (default: the current one)' },
    item: { type: 'string', value: 'ID', help: 'the plan or work order the session works on (or VIGIL_ITEM)' },
    chain: { type: 'string', value: 'JSON', help: 'codex: the notify program configured before, run with the same argument' },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

export const HOOKS = {
  name: 'hooks',
  synopsis: 'install | uninstall | status <folder…>',
  summary: "Connect an agent's hooks in a project to Vigil (Claude Code: .claude/settings.local.json; Codex: its notify program).",
  details:
    "The file is backed up (in the config folder) before the first change; uninstall gives back exactly what was there, or takes out\nonly Vigil's entries from a file edited since. Codex reads notify only from $CODEX_HOME/config.toml: one entry for all\nprojects, and a notify program you had keeps running after Vigil's. status says whether the hooks can run and when one last fired.",
  positionals: 'some',
  positionalName: 'action and folder',
  options: {
    agent: { type: 'string', value: 'claude|codex', help: 'which agent (default claude)' },
    json: { type: 'boolean', help: 'status: print JSON' },
    'codex-home': { type: 'string', value: 'D', help: "Codex's folder (default CODEX_HOME or ~/.codex)" },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

export const NOTIFY = {
  name: 'notify',
  synopsis: 'add ntfy|webhook|slack <url> | list | test <id> | remove <id>',
  summary: 'Send alerts to a phone (ntfy), a signed webhook, or a Slack/Discord channel.',
  details:
    'add prints the channel id on stdout (and a webhook\'s signing secret, once, on stderr). Which alerts go out follows the\nnotification rules in Settings (kinds, muted projects, quiet hours); a burst is sent as one message.',
  positionals: 'some',
  positionalName: 'action',
  options: {
    name: { type: 'string', value: 'N', help: 'how the channel is shown' },
    kinds: { type: 'string', value: 'K,K', help: 'needs-input, critical, failed, done, stall (default all)' },
    projects: { type: 'string', value: 'P,P', help: 'only alerts about these project ids' },
    priority: { type: 'string', value: '1-5', help: 'ntfy priority' },
    tags: { type: 'string', value: 'a,b', help: 'ntfy tags' },
    token: { type: 'string', value: 'T', help: 'ntfy access token' },
    json: { type: 'boolean', help: 'list: print JSON' },
    'config-dir': configDir,
  },
} as const satisfies CommandSpec;

/** In the order `vigil --help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [START, SERVE, DEMO, ADD, REMOVE, LIST, PAUSE, SCAN, WATCH, HISTORY, DISCOVER, TOKEN, RUN, RUNS, ACTION, HOOKS, HOOK, NOTIFY];

/** `vigil --help`: every command with its arguments and what it does. */
export function usageText(): string {
  const rows = COMMAND_SPECS.map((spec) => [`${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`, spec.summary.split('. ')[0]!.replace(/\.$/, '')] as const);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `Usage: vigil <command> [options]

Commands:
${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n')}

Options:
  -h, --help     Show this help; \`vigil <command> --help\` lists every option of a command
  -v, --version  Show the version
`;
}
