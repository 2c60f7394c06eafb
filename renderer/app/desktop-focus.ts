// A desktop notification was clicked: show the item it was about (the right tab, filtered to
// it, with its detail open).
import { useEffect } from 'react';
import { runLogPath } from '../../shared/runs';
import { useServices } from './context';
import { useUi } from './ui-store';

export function useDesktopFocus(): void {
  const { transport } = useServices();
  useEffect(() => {
    return transport.onDesktop?.('focus:item', (target) => {
      const ui = useUi.getState();
      const only = { projectId: target.projectId, search: target.id, statuses: [], sources: [] };
      if (target.kind === 'plan') {
        ui.setPlanFilter(only);
        ui.setTab('plans');
      } else if (target.kind === 'stub') {
        ui.setStubFilter(only);
        ui.setTab('stubs');
      } else if (target.kind === 'workorder') {
        ui.setWorkorderFilter(only);
        ui.setTab('workorders');
      } else if (target.kind === 'run') {
        ui.setTab('runs');
        ui.setOpenLog({ projectId: target.projectId, path: runLogPath(target.id), title: 'Run log', runId: target.id });
        return;
      } else {
        ui.setTab('projects');
        return;
      }
      ui.setDetail({ kind: target.kind, projectId: target.projectId, id: target.id });
    });
  }, [transport]);
}
