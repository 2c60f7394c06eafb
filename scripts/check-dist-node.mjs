// `npm run dist` builds installers with electron-builder, whose native-module step
// (@electron/rebuild, node-abi) needs a newer Node than Vigil itself: say so before it starts
// instead of failing halfway. Everything else (`npm start`, `npm run serve`, `npm test`) runs
// on Node 20.19 and newer.
const NEEDED = [22, 13];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < NEEDED[0] || (major === NEEDED[0] && minor < NEEDED[1])) {
  process.stderr.write(
    `Building installers needs Node ${NEEDED.join('.')} or newer (electron-builder's native rebuild step, ` +
      `@electron/rebuild and node-abi, requires it); this is Node ${process.versions.node}. ` +
      'Vigil itself runs on Node 20.19 and newer: `npm start`, `npm run serve` and `npm test` work as they are. ' +
      'Install Node 22 (for example `nvm install 22`) and run `npm run dist` again.\n',
  );
  process.exit(1);
}
