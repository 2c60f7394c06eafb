// A toast when the link drops and when it comes back: the indicator is easy to miss.
import { useEffect, useRef } from 'react';
import { toast } from 'sonner';
import { useLive } from '../app/context';

export function ConnectionToasts() {
  const status = useLive((s) => s.connection.status);
  const everConnected = useLive((s) => s.connection.everConnected);
  const reason = useLive((s) => s.connection.reason);
  const wasDown = useRef(false);
  useEffect(() => {
    if (!everConnected) return;
    if (status === 'disconnected' && !wasDown.current) {
      wasDown.current = true;
      toast.error('Connection lost', { id: 'connection', description: `${reason ?? ''} Retrying automatically; the data shown may be out of date.`.trim(), duration: 8000 });
    } else if (status === 'connected' && wasDown.current) {
      wasDown.current = false;
      toast.success('Reconnected', { id: 'connection', description: 'Caught up with everything that happened meanwhile.' });
    }
  }, [status, everConnected, reason]);
  return null;
}
