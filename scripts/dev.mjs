// `npm run dev`: the desktop app with a live renderer. Builds the Electron main and the preload
// with esbuild in watch mode (restarting Electron when they change), serves the renderer from
// Vite's dev server (hot reload), and starts Electron pointed at it through VIGIL_DEV_SERVER_URL
// (honoured only by an unpackaged app, see main/electron/paths.ts).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { context } from 'esbuild';
import { createServer } from 'vite';
import { mainBundle, preloadBundle } from './bundles.mjs';

const require = createRequire(import.meta.url);

/**
 * In development the window's CSP comes from the response header main sets for the dev server
 * (main/desktop/csp.ts devCsp: Vite's inline React-refresh preamble and its HMR socket). The
 * strict <meta> policy of renderer/index.html would block both, so the dev server drops it.
 */
const devCspPlugin = {
  name: 'vigil-dev-csp',
  transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
};

let electron = null;
let restarting = false;
let vite = null;
const contexts = [];

function electronBinary() {
  try {
    // The electron package exports the path of its downloaded binary.
    return require('electron');
  } catch (err) {
    throw new Error(`The Electron binary is not installed (${err.message}). Run \`npm install\` on a machine that can download it.`);
  }
}

function startElectron(url) {
  electron = spawn(binary, ['.'], { stdio: 'inherit', env: { ...process.env, VIGIL_DEV_SERVER_URL: url } });
  electron.on('exit', (code) => {
    electron = null;
    if (!restarting) void shutdown(code ?? 0);
  });
}

function restartElectron(url) {
  if (!electron) return startElectron(url);
  restarting = true;
  electron.once('exit', () => {
    restarting = false;
    startElectron(url);
  });
  electron.kill();
}

async function shutdown(code) {
  electron?.kill();
  await Promise.all(contexts.map((c) => c.dispose()));
  await vite?.close();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

let binary;
try {
  binary = electronBinary();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

vite = await createServer({ configFile: 'vite.config.ts', plugins: [devCspPlugin] });
await vite.listen();
const url = vite.resolvedUrls?.local[0];
if (!url) throw new Error('The Vite dev server did not report its URL');
console.log(`renderer: ${url}`);

/** Each bundle's first build starts Electron (once both are done); a later build restarts it. */
function electronRestarter(firstBuild) {
  let built = false;
  return {
    name: 'restart-electron',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length > 0) return;
        if (!built) {
          built = true;
          firstBuild();
          return;
        }
        console.log('main or preload changed: restarting Electron');
        restartElectron(url);
      });
    },
  };
}

let firstBuilds = 0;
const bothBuilt = new Promise((resolve) => {
  const done = () => {
    firstBuilds += 1;
    if (firstBuilds === 2) resolve();
  };
  contexts.push(
    context({ ...mainBundle({ 'electron/main': 'main/electron/main.ts' }), plugins: [electronRestarter(done)] }),
    context({ ...preloadBundle, plugins: [electronRestarter(done)] }),
  );
});
const built = await Promise.all(contexts);
contexts.splice(0, contexts.length, ...built);
await Promise.all(contexts.map((c) => c.watch()));
await bothBuilt;
startElectron(url);
