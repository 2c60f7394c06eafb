// `vigil discover <folder> [--json] [--max-depth N]`: list the folders under <folder> that
// hold planning files of a known convention, so a script (or a person) can decide what to
// add. Registers nothing and changes no file.
import { readRegisteredRoots } from '../engine/config';
import { scanForProjects } from '../engine/discover';
import { defaultConfigDir } from '../engine/config-dir';
import { parseCommandArgs, usageError } from './args';
import { DISCOVER } from './specs';

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(DISCOVER, args);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [folder, ...extra] = positionals as [string, ...string[]];
  if (extra.length > 0) return usageError('discover', `one folder at a time (got ${positionals.length})`);
  let maxDepth: number | undefined;
  if (values['max-depth'] !== undefined) {
    maxDepth = Number(values['max-depth']);
    if (!Number.isInteger(maxDepth) || maxDepth < 0) return usageError('discover', `--max-depth takes a whole number, not ${JSON.stringify(values['max-depth'])}`);
  }

  const registeredRoots = await readRegisteredRoots(values['config-dir'] ?? defaultConfigDir());
  let result;
  try {
    result = await scanForProjects(folder, { maxDepth, registeredRoots });
  } catch (err) {
    process.stderr.write(`vigil discover: ${(err as Error).message}\n`);
    return 1;
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const { projects } = result;
  if (projects.length === 0) {
    process.stdout.write(`No projects found under ${result.folder} (${result.visitedDirs} folders looked at).\n`);
  } else {
    process.stdout.write(`Found ${projects.length} project${projects.length === 1 ? '' : 's'} under ${result.folder}:\n`);
    const width = Math.min(80, Math.max(...projects.map((p) => p.root.length)));
    for (const p of projects) {
      const mark = p.registered ? '  (registered)' : '';
      process.stdout.write(`  ${p.root.padEnd(width)}  ${p.sources.join(', ')}${mark}\n`);
    }
  }
  if (result.limitReached) {
    process.stdout.write(
      `Stopped after ${result.visitedDirs} folders; there may be more. Point discover at a narrower folder or lower --max-depth.\n`,
    );
  }
  if (result.unreadableDirs > 0) {
    process.stdout.write(`${result.unreadableDirs} folder${result.unreadableDirs === 1 ? '' : 's'} could not be read (permissions) and were skipped.\n`);
  }
  return 0;
}
