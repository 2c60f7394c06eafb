// Open a URL in the person's browser. BROWSER works as in other developer tools: `none` opens
// nothing (CI, tests, a machine without a desktop), any other value is the command to open the
// URL with; otherwise the system's own opener. Failing to open is never fatal: the URL is printed.
// An opener that gives up (xdg-open finding no browser) says so by exiting non-zero at once;
// one still running after a moment has handed the URL to a browser that stays open.
import { spawn } from 'node:child_process';

function systemOpener(platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', []];
  // Not `cmd /c start`: cmd would parse the URL, and `&` in it would start a second command.
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler']];
  return ['xdg-open', []];
}

export type OpenResult = { opened: true } | { opened: false; why: string | null };

/** How long an opener has to fail before it counts as having opened the URL. */
const GIVE_UP_WINDOW_MS = 3000;

/** Open `url`; when it was not opened, `why` says what failed (null: BROWSER=none asked not to). */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<OpenResult> {
  const chosen = env.BROWSER?.trim();
  if (chosen && chosen.toLowerCase() === 'none') return Promise.resolve({ opened: false, why: null });
  const [command, args] = chosen ? [chosen, []] : systemOpener(platform);
  return new Promise((resolve) => {
    // The URL is one argument, never parsed by a shell: its token cannot become a command.
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: platform !== 'win32' });
    const settle = (result: OpenResult): void => {
      clearTimeout(timer);
      child.unref();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ opened: true }), GIVE_UP_WINDOW_MS);
    child.once('error', (err) => settle({ opened: false, why: `${command} could not be started (${err.message})` }));
    child.once('exit', (code, signal) =>
      settle(code === 0 ? { opened: true } : { opened: false, why: `${command} found none (exit ${code ?? signal})` }),
    );
  });
}
