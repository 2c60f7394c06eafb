// A button that changes something on the server. With a read-only token it stays visible but
// disabled, and says why, instead of failing after a click.
import type { ButtonHTMLAttributes } from 'react';
import { useLive } from '../app/context';

export function ControlButton({ disabled, title, ...rest }: ButtonHTMLAttributes<HTMLButtonElement>) {
  const readOnly = useLive((s) => s.readOnly);
  const connected = useLive((s) => s.connection.status === 'connected');
  const why = readOnly
    ? `Read-only access: ${readOnly}`
    : !connected
      ? 'Not connected to Vigil right now.'
      : title;
  return <button type="button" {...rest} disabled={disabled || readOnly !== null || !connected} title={why} />;
}
