// Where the Electron binary of this copy of Vigil is, and fetching it when it is missing, the
// way Electron's own installer does (the `electron` package's install.js, over @electron/get),
// but with progress shown from the first byte and every failure as one sentence, never a stack.
// `npm install` does not fetch it (package.json denies Electron's install script), so a machine
// that cannot download it still installs; `vigil start` fetches it the first time it is needed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ElectronPackage {
  /** The folder of the `electron` npm package. */
  dir: string;
  version: string;
}

/** The `electron` package beside this copy of Vigil, or null (an install without dev dependencies). */
export function findElectronPackage(from: string = import.meta.url): ElectronPackage | null {
  try {
    const manifest = createRequire(from).resolve('electron/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { dir: dirname(manifest), version };
  } catch {
    return null;
  }
}

/** The executable inside the unpacked Electron, as install.js names it per platform. */
export function platformExecutable(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * The path the `electron` package would start, resolved as its index.js does
 * (ELECTRON_OVERRIDE_DIST_PATH first, then dist/ and path.txt); it may not exist.
 */
export function electronBinaryPath(pkg: ElectronPackage, env: NodeJS.ProcessEnv = process.env): string {
  const pathFile = join(pkg.dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExecutable();
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return join(env.ELECTRON_OVERRIDE_DIST_PATH, executable);
  return join(pkg.dir, 'dist', executable);
}

export interface DownloadProgress {
  percent: number;
  transferred: number;
  total: number | undefined;
}

type DownloadArtifact = (options: Record<string, unknown>) => Promise<string>;

/**
 * Download the Electron zip of `pkg.version` into Electron's download cache (checksums from the
 * package, mirror from ELECTRON_MIRROR as usual), then let the package's own install.js unpack
 * it. Rejects with an Error whose message is one sentence.
 */
export async function installElectron(pkg: ElectronPackage, onProgress: (progress: DownloadProgress) => void): Promise<void> {
  const requireFromElectron = createRequire(join(pkg.dir, 'package.json'));
  const { downloadArtifact } = requireFromElectron('@electron/get') as { downloadArtifact: DownloadArtifact };
  const checksums = requireFromElectron('./checksums.json') as Record<string, string>;
  // @electron/get would draw a second progress bar of its own after 30 s.
  process.env.ELECTRON_GET_NO_PROGRESS = '1';
  try {
    await downloadArtifact({
      version: pkg.version,
      artifactName: 'electron',
      platform: process.env.npm_config_platform ?? process.platform,
      arch: process.env.npm_config_arch ?? process.arch,
      checksums,
      cacheRoot: process.env.electron_config_cache,
      downloadOptions: {
        quiet: true,
        getProgressCallback: async (progress: DownloadProgress) => onProgress(progress),
        // A network that drops packets instead of refusing must not leave `npm start` hanging.
        timeout: { lookup: 15_000, connect: 15_000, socket: 60_000 },
        retry: { limit: 1 },
      },
    });
  } catch (err) {
    throw new Error(`Electron ${pkg.version} could not be downloaded (${oneLine(err)})`);
  }
  await unpackWithInstallScript(pkg);
}

/** install.js finds the zip in the cache now, checks it and unpacks it next to itself. */
function unpackWithInstallScript(pkg: ElectronPackage): Promise<void> {
  const env = { ...process.env };
  // Set for `npm install` on CI; here the person asked for the app, so the script must run.
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(pkg.dir, 'install.js')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (err) => reject(new Error(`Electron's installer could not be run (${err.message})`)));
    child.once('close', (code) => {
      if (code === 0) resolve();
      // install.js prints a stack; its first line is the message.
      else reject(new Error(`Electron's installer could not unpack it (${stderr.trim().split('\n')[0] || `exit code ${code}`})`));
    });
  });
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.trim();
}
