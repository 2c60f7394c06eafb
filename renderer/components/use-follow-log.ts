// Follow a log file while a component shows it: subscribe on mount or when the file changes,
// let go on unmount. Each owner (the log panel, an item's detail) follows its own.
import { useEffect, useState } from 'react';
import { useServices } from '../app/context';
import { plainMessage } from '../app/words';

/** The error that kept the log from being followed, or null. */
export function useFollowLog(target: { projectId: string; path: string; runId?: string } | null, owner: string): string | null {
  const { sync } = useServices();
  const [error, setError] = useState<string | null>(null);
  const projectId = target?.projectId;
  const path = target?.path;
  // A run's log is followed by the run's id.
  const runId = target?.runId;
  useEffect(() => {
    setError(null);
    if (!projectId || !path) return;
    let current = true;
    void sync.followLog({ projectId, path, ...(runId ? { runId } : {}) }, owner).then((reply) => {
      if (current && !reply.ok) setError(plainMessage(reply.error));
    });
    return () => {
      current = false;
      void sync.followLog(null, owner);
    };
  }, [sync, projectId, path, runId, owner]);
  return error;
}
