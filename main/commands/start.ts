// `vigil start` (what `npm start` runs): the desktop app when it can run here; when it cannot
// (Electron not downloadable, no graphical display), one paragraph saying so, and the same
// engine headless with the dashboard opened in the browser through a control link for the
// person at this machine. Never a stack trace: every way this can fail ends in one of the two.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfigDir } from '../engine/config-dir';
import { DEFAULT_HOST, DEFAULT_MAX_CLIENTS, DEFAULT_PORT, defaultPerTokenCap } from '../server/server';
import { parseCommandArgs, usageError } from './args';
import { electronBinaryPath, findElectronPackage, installElectron, type DownloadProgress } from './electron-binary';
import { openBrowser } from './open-browser';
import { parsePort } from './ports';
import { startServing } from './serve';
import { START } from './specs';
import { untilStopSignal } from './stop-signal';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** Why the desktop window cannot open, and what would change that. */
interface Blocker {
  reason: string;
  remedy: string;
}

/**
 * The folder Electron is started on: the package root, whose package.json names the main bundle.
 * Found by walking up from this module, which the build may put in a chunk folder under dist/.
 */
function appRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('Cannot find the Vigil package folder (no package.json above the running script).');
    folder = parent;
  }
  return folder;
}

function progressPrinter(version: string): (progress: DownloadProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastShown = -1;
  return ({ percent, transferred, total }) => {
    const pct = Math.floor(percent * 100);
    // On a terminal the line is redrawn; in a log, one line per 10 %.
    if (tty ? pct === lastShown : Math.floor(pct / 10) === Math.floor(lastShown / 10) && lastShown >= 0) return;
    lastShown = pct;
    const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(0);
    const size = total ? `${mb(transferred)} of ${mb(total)} MB` : `${mb(transferred)} MB`;
    process.stderr.write(`${tty ? '\r' : ''}Downloading Electron ${version}: ${pct}% (${size})${tty ? '' : '\n'}`);
    if (tty && pct === 100) process.stderr.write('\n');
  };
}

/** The Electron binary to start, fetching it first when missing; or why there is none. */
async function desktopBinary(): Promise<string | Blocker> {
  const pkg = findElectronPackage();
  if (!pkg) {
    return {
      reason: 'this copy of Vigil was installed without its desktop part (the electron package is missing)',
      remedy: 'Run `npm install` in the Vigil folder to add it.',
    };
  }
  let binary = electronBinaryPath(pkg);
  if (!existsSync(binary)) {
    say(`The desktop app needs Electron ${pkg.version}, which is not downloaded yet. Fetching it once with Electron's own downloader (about 100 MB)…`);
    try {
      await installElectron(pkg, progressPrinter(pkg.version));
    } catch (err) {
      return {
        reason: `${(err as Error).message}; this machine may be offline, or a proxy or firewall blocks the download`,
        remedy: 'To get the desktop app, run `npm start` again once the download can work (ELECTRON_MIRROR can point to a mirror you can reach).',
      };
    }
    binary = electronBinaryPath(pkg);
    if (!existsSync(binary)) {
      return {
        reason: `Electron was unpacked, but there is no binary at ${binary}`,
        remedy: process.env.ELECTRON_OVERRIDE_DIST_PATH ? 'ELECTRON_OVERRIDE_DIST_PATH points there: unset it or point it at an unpacked Electron.' : 'Delete node_modules/electron/dist and run `npm start` again.',
      };
    }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return {
      reason: 'there is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set)',
      remedy: 'Run `npm start` from a desktop session to get the window.',
    };
  }
  return binary;
}

/** Run the desktop app until it exits; a Blocker when it could not even start. */
function runDesktop(binary: string): Promise<number | Blocker> {
  return new Promise((resolve) => {
    const child = spawn(binary, [appRoot()], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    const done = (result: number | Blocker): void => {
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve(result);
    };
    child.once('error', (err) => done({ reason: `Electron could not be started (${err.message})`, remedy: 'Delete node_modules/electron/dist and run `npm start` again to fetch it afresh.' }));
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(START, args);
  if (typeof parsed === 'number') return parsed;
  const port = parsePort(parsed.values.port, DEFAULT_PORT);
  if (port === null) return usageError('start', `--port must be a number from 0 to 65535, not ${JSON.stringify(parsed.values.port)}`);
  const configDir = parsed.values['config-dir'] ?? defaultConfigDir();

  const binary = await desktopBinary();
  const outcome = typeof binary === 'string' ? await runDesktop(binary) : binary;
  if (typeof outcome === 'number') return outcome;

  say(
    `Vigil cannot open its desktop window: ${outcome.reason}. It runs the same engine headless instead, with the dashboard in ` +
      'your browser and full control for you on this machine (the link only works from this computer). ' +
      `${outcome.remedy} Press Ctrl-C to stop.`,
  );
  const stopped = untilStopSignal();
  const served = await startServing(
    { folders: [], host: DEFAULT_HOST, port, maxClients: DEFAULT_MAX_CLIENTS, maxPerToken: defaultPerTokenCap(DEFAULT_MAX_CLIENTS), configDir, control: true, printToken: true, anyPortIfTaken: parsed.values.port === undefined },
    (line) => say(`vigil: ${line}`),
  );
  if (typeof served === 'number') return served;
  const controlUrl = served.urls[served.urls.length - 1]!;
  process.stdout.write(`${controlUrl}\n`);
  const browser = await openBrowser(controlUrl);
  if (browser.opened) say('Opened the dashboard (the link above) in your browser.');
  else say(browser.why ? `Could not open a browser: ${browser.why}. Open the link above yourself.` : 'Open the link above in a browser.');
  await stopped;
  await served.close();
  return 0;
}
