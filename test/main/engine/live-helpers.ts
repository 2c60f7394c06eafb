// Helpers for tests that run the live engine on real temp folders with real watchers: a
// sink that records events and can wait for one, and a deadline-bound wait for a condition.
// Tests wait for events (with a timeout) rather than sleeping a fixed time.
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EngineEvent, EventType } from '../../../shared/protocol';
import type { Sink } from '../../../main/engine/api';
import { checkEvents } from '../../protocol-check';

export function tempDir(prefix = 'vigil-engine-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = join(root, ...rel.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** inotify descriptors this process holds (Linux: one while anything is watched, closed with the last watch). */
export function inotifyDescriptors(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === 'anon_inode:inotify';
    } catch {
      return false;
    }
  }).length;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `condition` until it holds; fail with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

type Matcher = (event: EngineEvent) => boolean;

/** A sink that keeps every event and lets a test wait for the one it expects. */
export class Recorder implements Sink {
  readonly events: EngineEvent[] = [];
  overflows = 0;
  private waiters: { match: Matcher; resolve: (e: EngineEvent) => void }[] = [];

  deliver(batch: EngineEvent[]): void {
    checkEvents(batch, 'the engine hub');
    for (const event of batch) {
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(event)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    }
  }

  overflow(): void {
    this.overflows += 1;
  }

  of<T extends EventType>(type: T, match: (e: Extract<EngineEvent, { type: T }>) => boolean = () => true): Extract<EngineEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type && match(e as Extract<EngineEvent, { type: T }>));
  }

  /** The first event (already seen after `afterSeq`, or still to come) of `type` matching `match`. */
  waitFor<T extends EventType>(
    type: T,
    match: (e: Extract<EngineEvent, { type: T }>) => boolean = () => true,
    { timeoutMs = 10_000, afterSeq = 0 }: { timeoutMs?: number; afterSeq?: number } = {},
  ): Promise<Extract<EngineEvent, { type: T }>> {
    const matcher: Matcher = (e) => e.seq > afterSeq && e.type === type && match(e as Extract<EngineEvent, { type: T }>);
    const seen = this.events.find(matcher);
    if (seen) return Promise.resolve(seen as Extract<EngineEvent, { type: T }>);
    return new Promise((resolve, reject) => {
      const waiter = {
        match: matcher,
        resolve: (e: EngineEvent) => {
          clearTimeout(timer);
          resolve(e as Extract<EngineEvent, { type: T }>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${type}; saw ${this.events.map((e) => e.type).join(', ') || 'nothing'}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  get lastSeq(): number {
    return this.events[this.events.length - 1]?.seq ?? 0;
  }
}

/** A realistic spec-kit feature (docs/formats.md § spec-kit). */
export function speckitFeature(ticks: [boolean, boolean, boolean] = [false, false, false]): Record<string, string> {
  const box = (on: boolean): string => (on ? '[X]' : '[ ]');
  return {
    'specs/001-user-login/spec.md': '# Feature Specification: User Login\n\n**Feature Branch**: `001-user-login`\n**Status**: Draft\n',
    'specs/001-user-login/plan.md': '# Implementation Plan: User Login\n\n## Summary\nEmail and password login.\n',
    'specs/001-user-login/tasks.md': [
      '# Tasks: User Login',
      '',
      '**Input**: Design documents from `/specs/001-user-login/`',
      '',
      '## Phase 1: Setup',
      '',
      `- ${box(ticks[0])} T001 Create project structure per implementation plan`,
      `- ${box(ticks[1])} T002 [P] Configure linting and formatting tools`,
      '',
      '## Phase 2: User Story 1 - Sign in (Priority: P1)',
      '',
      `- ${box(ticks[2])} T003 [US1] Implement the login form in src/login.tsx`,
      '',
    ].join('\n'),
  };
}

/** A legacy Task Master tasks.json with the given statuses. */
export function taskmasterTasks(statuses: string[]): string {
  return JSON.stringify(
    {
      master: {
        tasks: statuses.map((status, i) => ({
          id: i + 1,
          title: `Task ${i + 1}`,
          description: `Do thing ${i + 1}`,
          status,
          priority: 'medium',
          dependencies: [],
          subtasks: [],
        })),
        metadata: { created: '2025-01-01T00:00:00.000Z', description: 'Tasks for master context' },
      },
    },
    null,
    2,
  );
}
