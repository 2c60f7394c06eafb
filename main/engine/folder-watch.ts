// One folder's watch, from whichever backend this platform has: inotify with the writer's close
// where it can (inotify.ts), fs.watch elsewhere. NativeWatch sees the same events either way;
// only inotify can say a file's text is complete.
import { watch } from 'node:fs';
import { openInotify, type FolderEventHandler, type FolderWatch } from './inotify';

export type { FolderEventHandler, FolderEventKind, FolderWatch } from './inotify';

/**
 * Watch the folder `abs`; throws as fs.watch does when it cannot (`code` says why).
 * `followSymlink: false` (inotify only): a link at `abs` is not watched through.
 */
export function watchFolder(abs: string, onEvent: FolderEventHandler, onError: (err: Error) => void, options: { followSymlink: boolean }): FolderWatch {
  const inotify = openInotify();
  if (inotify) return inotify.watch(abs, onEvent, onError, options);
  const watcher = watch(abs, { persistent: true }, (event, name) => onEvent(event === 'rename' ? 'rename' : 'change', name, false));
  // Windows reports a watched folder's deletion as an error (EPERM); elsewhere it is rare.
  watcher.on('error', onError);
  return watcher;
}
