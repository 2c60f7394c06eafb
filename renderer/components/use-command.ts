// Run a control request with the feedback a person expects: a toast on failure (the server's
// words), an optional one on success, and read-only mode after a `forbidden`.
import { useCallback } from 'react';
import { toast } from 'sonner';
import type { RequestName, RequestPayload, RequestResults, Reply } from '../../shared/protocol';
import { useServices } from '../app/context';

export function useCommand() {
  const { sync } = useServices();
  return useCallback(
    async <R extends RequestName>(name: R, payload: RequestPayload<R>, success?: string): Promise<Reply<RequestResults[R]>> => {
      const reply = await sync.request(name, payload);
      if (!reply.ok) {
        if (reply.error.code === 'forbidden') {
          toast.warning('This connection is read-only', { description: `${reply.error.message} Controls are now disabled.` });
        } else {
          toast.error(`Could not ${name.replace(':', ' ')}`, { description: reply.error.message });
        }
      } else if (success) {
        toast.success(success);
      }
      return reply;
    },
    [sync],
  );
}
