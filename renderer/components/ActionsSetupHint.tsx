// Where actions are set up, said where the reader is: the desktop app has Settings → Actions; a
// browser (a LAN dashboard) has no settings, so it names the commands to run on the machine
// running Vigil instead of a tab it cannot open.
import { useServices } from '../app/context';

export function ActionsSetupHint({ forItems = false }: { forItems?: boolean }) {
  const desktop = useServices().transport.desktop;
  return desktop ? (
    <span data-testid="actions-setup-hint">
      Add one in Settings → Actions{forItems ? ' (with “applies to”)' : ''}, with <code>vigil action add</code>, or turn on a preset.
    </span>
  ) : (
    <span data-testid="actions-setup-hint">
      Add one on the machine running Vigil: <code>vigil action add{forItems ? ' --applies-to' : ''}</code>, or turn on a preset with{' '}
      <code>vigil action add --preset</code>.
    </span>
  );
}
