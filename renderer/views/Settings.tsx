// Desktop-only settings: the LAN server (with a QR code for a phone), access tokens,
// notification rules, tray behaviour and update checks. Shown only when the transport has
// the desktop API; a browser never sees this.
import QRCode from 'qrcode';
import { useEffect, useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import type { DesktopApi, LanState } from '../../shared/desktop-protocol';
import type { Settings as SettingsValue } from '../../shared/settings';
import type { TokenInfo, TokenScope } from '../../shared/tokens';
import type { Reply } from '../../shared/protocol';
import { useLive, useServices } from '../app/context';
import { Age } from '../components/Age';
import { EmptyState } from '../components/EmptyState';
import { selectProjectList } from '../store/selectors';
import { ActionsSettings } from './ActionsSettings';
import { AlertChannelsSection } from './AlertChannels';

function unwrap<T>(reply: Reply<T>, what: string): T | null {
  if (reply.ok) return reply.data;
  toast.error(`Could not ${what}`, { description: reply.error.message });
  return null;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="card settings-section" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Toggle({ label, checked, onChange, hint, testId }: { label: string; checked: boolean; onChange(v: boolean): void; hint?: string; testId?: string }) {
  return (
    <label className="setting-toggle">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span>
        {label}
        {hint && <span className="muted small block">{hint}</span>}
      </span>
    </label>
  );
}

function QrCode({ text }: { text: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(text, { margin: 1, width: 180, errorCorrectionLevel: 'M' }).then(
      (url) => current && setSrc(url),
      () => current && setSrc(null),
    );
    return () => {
      current = false;
    };
  }, [text]);
  return src ? <img className="qr" src={src} width={180} height={180} alt="QR code of the LAN URL" data-testid="lan-qr" /> : null;
}

function LanSection({ desktop }: { desktop: DesktopApi }) {
  const [lan, setLan] = useState<LanState | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void desktop['lan:get']({}).then((r) => setLan(unwrap(r, 'read the LAN server state')));
  }, [desktop]);
  const set = async (enabled: boolean) => {
    setBusy(true);
    try {
      const next = unwrap(await desktop['lan:set']({ enabled }), enabled ? 'start the LAN server' : 'stop the LAN server');
      if (next) setLan(next);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Access from other devices" testId="settings-lan">
      {!lan ? (
        <EmptyState tone="loading" title="Reading…" />
      ) : (
        <>
          <Toggle label="Serve the dashboard on the local network" hint="Other devices need the URL with its token; access is read-only unless you hand out a control token." checked={lan.enabled} onChange={(v) => void (busy || set(v))} testId="lan-toggle" />
          {lan.error && <p className="text-failed">{lan.error}</p>}
          {lan.enabled && lan.url && (
            <div className="lan-url">
              <QrCode text={lan.url} />
              <div>
                <p className="muted small">Open on a phone or another computer:</p>
                <code className="mono url" data-testid="lan-url">
                  {lan.url}
                </code>
                <div>
                  <button type="button" onClick={() => void navigator.clipboard?.writeText(lan.url!).then(() => toast.success('URL copied'))}>
                    Copy URL
                  </button>
                </div>
              </div>
            </div>
          )}
        </>
      )}
    </Section>
  );
}

function TokensSection({ desktop }: { desktop: DesktopApi }) {
  const [tokens, setTokens] = useState<TokenInfo[] | null>(null);
  const [scope, setScope] = useState<TokenScope>('read');
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const load = () => void desktop['tokens:list']({}).then((r) => setTokens(unwrap(r, 'list tokens')));
  useEffect(load, [desktop]);
  const create = async () => {
    const made = unwrap(await desktop['tokens:create']({ scope, label: label.trim() || undefined }), 'create a token');
    if (made) {
      setSecret(made.secret);
      setLabel('');
      load();
    }
  };
  const revoke = async (id: string) => {
    if (unwrap(await desktop['tokens:revoke']({ id }), 'revoke the token')) load();
  };
  return (
    <Section title="Access tokens" testId="settings-tokens">
      {secret && (
        <div className="banner info">
          <span>
            New token — copy it now, it is not shown again: <code className="mono">{secret}</code>
          </span>
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      {!tokens ? (
        <EmptyState tone="loading" title="Reading…" />
      ) : tokens.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Label</th>
              <th>Scope</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid="token-row">
                <td>{t.label || <span className="muted">{t.id}</span>}</td>
                <td>{t.scope}</td>
                <td>
                  <Age at={t.createdAt} />
                </td>
                <td>
                  <Age at={t.lastUsedAt} />
                </td>
                <td>
                  <button type="button" className="danger" onClick={() => void revoke(t.id)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="add-folder">
        <input type="text" className="path-input" placeholder="Label, e.g. phone" value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} aria-label="Token label" />
        <select className="select" value={scope} onChange={(e) => setScope(e.target.value as TokenScope)} aria-label="Scope">
          <option value="read">read — watch only</option>
          <option value="control">control — may add, pause, remove</option>
          <option value="hook">hook — may only post agent events</option>
        </select>
        <button type="button" onClick={() => void create()}>
          Create token
        </button>
      </div>
    </Section>
  );
}

function PreferencesSections({ desktop }: { desktop: DesktopApi }) {
  const { transport } = useServices();
  const [settings, setSettings] = useState<SettingsValue | null>(null);
  const projects = useLive((s) => s.projects);
  useEffect(() => {
    void desktop['settings:get']({}).then((r) => setSettings(unwrap(r, 'read settings')));
    return transport.onDesktop?.('settings:changed', setSettings);
  }, [desktop, transport]);
  if (!settings) return <EmptyState tone="loading" title="Reading settings…" />;
  const save = async (patch: Partial<SettingsValue>) => {
    setSettings({ ...settings, ...patch });
    const next = unwrap(await desktop['settings:set'](patch), 'save settings');
    if (next) setSettings(next);
  };
  const rules = settings.notifications;
  const setRules = (patch: Partial<SettingsValue['notifications']>) => void save({ notifications: { ...rules, ...patch } });
  return (
    <>
      <Section title="Notifications" testId="settings-notifications">
        <Toggle label="Show desktop notifications" checked={rules.enabled} onChange={(enabled) => setRules({ enabled })} />
        <div className={rules.enabled ? 'setting-group' : 'setting-group disabled'}>
          <Toggle label="An agent needs you (a permission prompt, a question)" checked={rules.onNeedsInput} onChange={(onNeedsInput) => setRules({ onNeedsInput })} />
          <Toggle label="Health turns critical" checked={rules.onCritical} onChange={(onCritical) => setRules({ onCritical })} />
          <Toggle label="An item is done, or a run finished" checked={rules.onDone} onChange={(onDone) => setRules({ onDone })} />
          <Toggle label="An item or a run failed" checked={rules.onFailed} onChange={(onFailed) => setRules({ onFailed })} />
          <Toggle label={`An item stalls (in progress, project quiet for ${settings.stallMinutes} min)`} checked={rules.onStall} onChange={(onStall) => setRules({ onStall })} />
          <Toggle
            label="Quiet hours"
            checked={rules.quietHours !== null}
            onChange={(on) => setRules({ quietHours: on ? { start: '22:00', end: '07:00' } : null })}
          />
          {rules.quietHours && (
            <div className="quiet-hours">
              from <input type="time" value={rules.quietHours.start} onChange={(e) => setRules({ quietHours: { ...rules.quietHours!, start: e.target.value } })} /> to{' '}
              <input type="time" value={rules.quietHours.end} onChange={(e) => setRules({ quietHours: { ...rules.quietHours!, end: e.target.value } })} />
            </div>
          )}
          {Object.keys(projects).length > 0 && (
            <details>
              <summary>Muted projects ({rules.mutedProjects.length})</summary>
              {selectProjectList(projects).map((p) => (
                <Toggle
                  key={p.id}
                  label={p.name}
                  checked={rules.mutedProjects.includes(p.id)}
                  onChange={(muted) => setRules({ mutedProjects: muted ? [...rules.mutedProjects, p.id] : rules.mutedProjects.filter((id) => id !== p.id) })}
                />
              ))}
            </details>
          )}
        </div>
      </Section>
      <ActionsSettings desktop={desktop} settings={settings} save={save} />
      <Section title="History" testId="settings-history">
        <p className="muted small">Vigil keeps a journal of every change in vigil.db in its settings folder. The oldest is pruned in the background once either limit is reached.</p>
        <label className="setting-number">
          Keep
          <input
            type="number"
            min={1}
            max={3650}
            value={settings.history.retentionDays}
            onChange={(e) => {
              const retentionDays = Math.round(Number(e.target.value));
              if (retentionDays >= 1 && retentionDays <= 3650) void save({ history: { ...settings.history, retentionDays } });
            }}
            data-testid="history-days"
          />
          days
        </label>
        <label className="setting-number">
          and at most
          <input
            type="number"
            min={1000}
            step={100000}
            value={settings.history.maxEvents}
            onChange={(e) => {
              const maxEvents = Math.round(Number(e.target.value));
              if (maxEvents >= 1000 && maxEvents <= 100_000_000) void save({ history: { ...settings.history, maxEvents } });
            }}
            data-testid="history-max-events"
          />
          events
        </label>
      </Section>
      <Section title="Window and updates" testId="settings-window">
        <Toggle label="Keep running in the tray when the window is closed" checked={settings.closeToTray} onChange={(closeToTray) => void save({ closeToTray })} testId="close-to-tray" />
        <Toggle label="Check for updates" hint="Asks GitHub releases for a newer version at start-up." checked={settings.checkForUpdates} onChange={(checkForUpdates) => void save({ checkForUpdates })} testId="check-updates" />
      </Section>
    </>
  );
}

export function Settings() {
  const { transport } = useServices();
  const desktop = transport.desktop;
  if (!desktop) return <EmptyState title="Settings live in the desktop app" />;
  return (
    <div className="view settings" data-testid="view-settings">
      <LanSection desktop={desktop} />
      <TokensSection desktop={desktop} />
      <AlertChannelsSection desktop={desktop} />
      <PreferencesSections desktop={desktop} />
    </div>
  );
}
