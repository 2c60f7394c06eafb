// Controls that change something on the server. A page whose link may only watch shows them
// from the start as disabled, with a tooltip that says how to get control; they stay focusable
// (aria-disabled rather than disabled) so a keyboard or screen-reader user hears why too.
import type { ButtonHTMLAttributes, InputHTMLAttributes, MouseEvent } from 'react';
import { useLive } from '../app/context';
import type { AppState } from '../store/app-store';

export const READ_ONLY_HINT =
  'This link can only watch. To run agents, or to add, pause or remove projects, open a control link: run `vigil serve --control` on the machine running Vigil, or `vigil token create --scope control`.';

/** Why controls are off right now (null: they are on). */
export function useControlBlock(): string | null {
  // One subscription (a string compares by value): every row of a list holds a control.
  return useLive(controlBlock);
}

function controlBlock(s: AppState): string | null {
  if (s.connection.status !== 'connected') return 'Not connected to Vigil right now; controls come back with the connection.';
  if (s.access === null) return 'Checking what this link may do…';
  if (s.access === 'read') return READ_ONLY_HINT;
  return null;
}

export function ControlButton({ disabled, title, onClick, ...rest }: ButtonHTMLAttributes<HTMLButtonElement>) {
  const blocked = useControlBlock();
  const off = blocked !== null;
  return (
    <button
      type="button"
      {...rest}
      data-control=""
      disabled={!off && disabled}
      aria-disabled={off || disabled ? true : undefined}
      title={blocked ?? title}
      onClick={(e: MouseEvent<HTMLButtonElement>) => {
        // aria-disabled does not stop a click (or a form's submit): this does.
        if (off) return e.preventDefault();
        onClick?.(e);
      }}
    />
  );
}

/** A text field that only makes sense with control (a folder to add); read-only otherwise, with the same tooltip. */
export function ControlInput({ title, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  const blocked = useControlBlock();
  return <input {...rest} data-control="" readOnly={blocked !== null} aria-disabled={blocked !== null ? true : undefined} title={blocked ?? title} />;
}
