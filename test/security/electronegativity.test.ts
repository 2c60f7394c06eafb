// electronegativity (Doyensec's Electron security linter) over main/, preload/ and renderer/,
// scanned together so its global checks (CSP, navigation limits, permission handler) see the
// whole app. Its CLI exits 0 even with findings, so this reads its SARIF (JSON) report and
// fails on any finding not justified in security/electronegativity-allowlist.json — and on an
// allowlist entry that no longer matches anything, so the list cannot rot.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['main', 'preload', 'renderer'];

interface Finding {
  check: string;
  file: string;
  line: number;
  message: string;
}

interface AllowEntry {
  check: string;
  file: string;
  reason: string;
}

interface Sarif {
  runs: {
    results: {
      ruleId: string;
      message: { text: string };
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
    }[];
  }[];
}

let work: string;
let findings: Finding[];
let allowlist: AllowEntry[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vigil-electronegativity-'));
  const app = join(work, 'app');
  for (const dir of SCANNED) await cp(join(repo, dir), join(app, dir), { recursive: true });
  const electronVersion = JSON.parse(await readFile(join(repo, 'node_modules/electron/package.json'), 'utf8')).version as string;
  const report = join(work, 'report.sarif');
  await run(
    process.execPath,
    [
      join(repo, 'node_modules/@doyensec/electronegativity/dist/index.js'),
      '--input', app,
      '--output', report,
      '--relative',
      '--verbose', 'false',
      // The installed Electron, rather than guessing from a package.json it cannot see.
      '--electron-version', electronVersion,
      // This check downloads Electron's release list from GitHub: not for an offline test run.
      '--exclude-checks', 'AvailableSecurityFixesGlobalCheck',
    ],
    { cwd: work, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const sarif = JSON.parse(await readFile(report, 'utf8')) as Sarif;
  findings = sarif.runs.flatMap((r) =>
    r.results.map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      return {
        check: result.ruleId,
        file: (location?.artifactLocation?.uri ?? '').replace(/^file:\/\//, ''),
        line: location?.region?.startLine ?? 0,
        message: result.message.text,
      };
    }),
  );
  allowlist = JSON.parse(await readFile(join(repo, 'security/electronegativity-allowlist.json'), 'utf8')).entries as AllowEntry[];
}, 90_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const allows = (entry: AllowEntry, finding: Finding): boolean => entry.check === finding.check && entry.file === finding.file;

describe('electronegativity over main/, preload/ and renderer/', () => {
  test('it scanned our sources (a report with no files would prove nothing)', () => {
    // The window, the preload and the CSP are always noticed: their entries are in the allowlist.
    expect(findings.some((f) => f.file === 'main/electron/window.ts')).toBe(true);
    expect(findings.some((f) => f.file.startsWith('renderer/'))).toBe(true);
  });

  test('every finding is justified in security/electronegativity-allowlist.json', () => {
    const unjustified = findings.filter((f) => !allowlist.some((entry) => allows(entry, f)));
    expect(unjustified.map((f) => `${f.check} at ${f.file}:${f.line} — ${f.message}`)).toEqual([]);
  });

  test('every allowlist entry still matches a finding and says why', () => {
    for (const entry of allowlist) expect(entry.reason.length, `${entry.check} ${entry.file} needs a reason`).toBeGreaterThan(20);
    const stale = allowlist.filter((entry) => !findings.some((f) => allows(entry, f)));
    expect(stale.map((e) => `${e.check} ${e.file}`)).toEqual([]);
  });
});
