// What a running engine does when another process changed projects.json (the CLI added a
// project, another server removed one, the desktop app paused one): the projects to open, to
// close and to pause or resume so that what is watched matches the file again. Projects given
// on the command line are not in the file and are never closed because of it.
import type { ProjectEntry } from './config';

export interface WatchedProject {
  id: string;
  paused: boolean;
}

export interface ProjectsToFollow {
  open: ProjectEntry[];
  close: string[];
  pause: { id: string; paused: boolean }[];
}

export function projectsToFollow(watched: readonly WatchedProject[], entries: readonly ProjectEntry[], unlistedIds: ReadonlySet<string>): ProjectsToFollow {
  const wanted = new Map(entries.map((e) => [e.id, e]));
  const current = new Map(watched.map((p) => [p.id, p]));
  const open = entries.filter((e) => !current.has(e.id));
  const close = watched.filter((p) => !wanted.has(p.id) && !unlistedIds.has(p.id)).map((p) => p.id);
  const pause: { id: string; paused: boolean }[] = [];
  for (const [id, entry] of wanted) {
    const now = current.get(id);
    if (now && now.paused !== entry.paused) pause.push({ id, paused: entry.paused });
  }
  return { open, close, pause };
}
