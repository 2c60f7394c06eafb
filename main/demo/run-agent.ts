// The demo's own agent, run by Vigil as a real child process: the demo workspace's projects
// offer it as actions in their `.vigil/actions.json`, so Run works out of the box. It prints
// what an agent prints (timestamped progress, then the usage line Claude Code ends with) and
// exits 0 — or keeps going for ten minutes, or fails, to show cancel and retry.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionSpec } from '../../shared/runs';

const SCRIPT = String.raw`// The Vigil demo's simulated agent: node run-agent.cjs <normal|long|flaky> <item id> <title>
const [mode = 'normal', itemId = '', title = 'the plan'] = process.argv.slice(2);
const stamp = () => new Date().toTimeString().slice(0, 8);
const say = (text) => process.stdout.write('[' + stamp() + '] ' + text + '\n');
const steps = [
  'Reading the plan for "' + title + '" (' + itemId + ')',
  'Looking at the files it names',
  'Planning the change in 4 steps',
  'Step 1/4: editing src/model.ts',
  'Step 2/4: editing src/view.tsx',
  'Step 3/4: adding tests in test/model.test.ts',
  'Step 4/4: updating the docs',
  'Running the tests',
  '14 tests passed',
  'Marking "' + title + '" done',
];
let i = 0;
const usage = { type: 'result', subtype: 'success', is_error: false, result: 'Finished "' + title + '"', total_cost_usd: 0.0184, usage: { input_tokens: 5120, output_tokens: 910, cache_read_input_tokens: 20480, cache_creation_input_tokens: 0 } };
const timer = setInterval(() => {
  if (mode === 'long') {
    say('Working on "' + title + '", step ' + (++i) + ' of 600');
    if (i >= 600) { clearInterval(timer); process.exit(0); }
    return;
  }
  if (mode === 'flaky' && i === 5) {
    say('Running the tests');
    process.stderr.write('[' + stamp() + '] 2 of 14 tests failed: cart total is off by one\n');
    clearInterval(timer);
    process.exit(1);
  }
  if (i < steps.length) { say(steps[i++]); return; }
  clearInterval(timer);
  process.stdout.write(JSON.stringify(usage) + '\n');
  process.exit(0);
}, mode === 'long' ? 1000 : 350);
process.on('SIGTERM', () => { say('Stopping: asked to'); process.exit(143); });
`;

export const DEMO_AGENT_FILE = 'run-agent.cjs';

/**
 * The program that runs the script: this Node itself under the command line; `node` from PATH
 * inside the desktop app, whose own binary does not run scripts.
 */
function nodeProgram(): string {
  return process.versions.electron ? 'node' : process.execPath;
}

/** The demo's actions, running the agent script at `scriptPath`. */
export function demoActions(scriptPath: string): ActionSpec[] {
  const run = (mode: string): string[] => [nodeProgram(), scriptPath, mode, '{item.id}', '{item.title}'];
  const everyItem = [{}];
  return [
    { id: 'demo-agent', label: 'Simulated agent', argv: run('normal'), appliesTo: everyItem, timeoutMs: 10 * 60_000 },
    { id: 'demo-agent-long', label: 'Simulated agent (long run)', argv: run('long'), appliesTo: everyItem },
    { id: 'demo-agent-flaky', label: 'Simulated agent (fails its tests)', argv: run('flaky'), appliesTo: everyItem },
  ];
}

/** Put the script in the workspace and the actions file in each project; returns the script's path. */
export async function writeDemoActions(workspace: string, projectRoots: readonly string[]): Promise<string> {
  const scriptPath = join(workspace, DEMO_AGENT_FILE);
  await writeFile(scriptPath, SCRIPT);
  const file = `${JSON.stringify({ actions: demoActions(scriptPath) }, null, 2)}\n`;
  for (const root of projectRoots) {
    await mkdir(join(root, '.vigil'), { recursive: true });
    await writeFile(join(root, '.vigil', 'actions.json'), file);
  }
  return scriptPath;
}
