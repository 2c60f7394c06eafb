// `npm run dist` builds installers with electron-builder, whose native-module step
// (@electron/rebuild, node-abi) needs a newer Node than Vigil itself: say so before it starts
// instead of failing halfway. Everything else (`npm start`, `npm run serve`, `npm test`) runs
// on Node 20.19 and newer.
import { fileURLToPath } from 'node:url';

export const DIST_NODE = [22, 13];

/** Why Node `version` cannot build the installers, or null when it can. */
export function distNodeProblem(version) {
  const [major, minor] = version.split('.').map(Number);
  if (major > DIST_NODE[0] || (major === DIST_NODE[0] && minor >= DIST_NODE[1])) return null;
  return (
    `Building installers needs Node ${DIST_NODE.join('.')} or newer (electron-builder's native rebuild step, ` +
    `@electron/rebuild and node-abi, requires it); this is Node ${version}. ` +
    'Vigil itself runs on Node 20.19 and newer: `npm start`, `npm run serve` and `npm test` work as they are. ' +
    'Install Node 22 (for example `nvm install 22`) and run `npm run dist` again.'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problem = distNodeProblem(process.versions.node);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
