// The contract every planning convention implements: a parser is a pure function over text.
// An adapter never touches the file system, the clock or globals: the engine reads files
// and hands it text, so every real-world oddity is a two-line test with a literal string.
import type { ParseIssue, PlanItem, Reported, SourceId, StubItem, WorkorderItem } from '../../shared/model';

/** A folder (relative to the project root, forward slashes) a convention lives in. */
export interface SourceRoot {
  path: string;
  /** How deep below `path` to watch; undefined means all the way down. */
  depth?: number;
}

/** What one file said. `facts` is null when nothing usable could be read (keep the last good facts). */
export interface FileParse<F> {
  facts: F | null;
  issues: ParseIssue[];
}

/** Everything a source knows about one project, combined from all of its files. */
export interface SourceItems {
  plans: PlanItem[];
  stubs: StubItem[];
  workorders: WorkorderItem[];
  /** What the tool says about its own progress, when it says anything. */
  reported: Reported[];
  /** Problems found only by looking at several files together. */
  issues: ParseIssue[];
}

export interface SourceAdapter<F = unknown> {
  id: SourceId;
  /** A name for people: 'GSD', 'Task Master'. */
  label: string;
  /** Folders to watch when they exist; the first one found also marks the convention as present. */
  roots: readonly SourceRoot[];
  /** Does this root-relative path hold something this convention parses? Temp and lock files: no. */
  owns(relPath: string): boolean;
  /** Pure: the facts in one file. Never throws. */
  parse(relPath: string, text: string): FileParse<F>;
  /** Pure: combine the facts of every owned file (keyed by relative path) into items. Never throws. */
  derive(files: ReadonlyMap<string, F>): SourceItems;
}

export const emptyItems = (): SourceItems => ({ plans: [], stubs: [], workorders: [], reported: [], issues: [] });
