// Run a control request with the feedback a person expects: a toast in plain words on failure
// ("Could not add the project: …"), and an optional one on success.
import { useCallback } from 'react';
import { toast } from 'sonner';
import type { RequestName, RequestPayload, RequestResults, Reply } from '../../shared/protocol';
import { useServices } from '../app/context';
import { failureTitle, plainMessage } from '../app/words';

export function useCommand() {
  const { sync } = useServices();
  return useCallback(
    async <R extends RequestName>(name: R, payload: RequestPayload<R>, success?: string): Promise<Reply<RequestResults[R]>> => {
      const reply = await sync.request(name, payload);
      if (!reply.ok) toast.error(failureTitle(name), { description: plainMessage(reply.error) });
      else if (success) toast.success(success);
      return reply;
    },
    [sync],
  );
}
