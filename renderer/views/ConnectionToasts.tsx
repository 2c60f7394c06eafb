// A toast when the link drops and every time it comes back: the indicator is easy to miss.
import { useEffect, useRef } from 'react';
import { toast } from 'sonner';
import { useLive } from '../app/context';

export function ConnectionToasts() {
  const status = useLive((s) => s.connection.status);
  const everConnected = useLive((s) => s.connection.everConnected);
  const reconnects = useLive((s) => s.connection.reconnects);
  const fatal = useLive((s) => s.connection.fatal);
  const announcedDrop = useRef(false);
  const seenReconnects = useRef(reconnects);
  useEffect(() => {
    if (!everConnected || fatal) return;
    if (status === 'disconnected' && !announcedDrop.current) {
      announcedDrop.current = true;
      toast.error('Connection lost', { id: 'connection', description: 'Trying again by itself; what you see stays on screen, greyed, until it is back.', duration: 8000 });
    }
  }, [status, everConnected, fatal]);
  useEffect(() => {
    // Each way back counts, also one so quick that the drop was never shown as "disconnected".
    if (reconnects === seenReconnects.current) return;
    seenReconnects.current = reconnects;
    announcedDrop.current = false;
    toast.success('Reconnected', { id: 'connection', description: 'Caught up with everything that happened meanwhile.', duration: 4000 });
  }, [reconnects]);
  return null;
}
