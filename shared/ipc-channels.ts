// The Electron IPC channel names, with no runtime imports: the sandboxed preload bundles this
// file, and a sandboxed preload may require nothing but 'electron' (zod, which the schema
// modules load at runtime, would break it). Protocol requests share one channel and carry their
// name, so a new request needs nothing here; the lists of pushes and desktop requests are
// checked against the typed maps of protocol.ts and desktop-protocol.ts at compile time.
import type { DesktopEvents, DesktopRequestName } from './desktop-protocol';
import type { ServerEvents } from './protocol';

const PREFIX = 'vigil:';

// A record keyed by every name: the compiler rejects a missing or an unknown key.
const names = <N extends string>(all: Record<N, true>): readonly N[] => Object.keys(all) as N[];

export const DESKTOP_REQUEST_NAMES = names<DesktopRequestName>({
  'dialog:pickFolder': true,
  'item:reveal': true,
  'item:open': true,
  'settings:get': true,
  'settings:set': true,
  'lan:get': true,
  'lan:set': true,
  'tokens:list': true,
  'tokens:create': true,
  'tokens:revoke': true,
  'actions:trust': true,
  'actions:file': true,
  'actions:get': true,
  'actions:set': true,
  'channels:list': true,
  'channels:add': true,
  'channels:update': true,
  'channels:remove': true,
  'channels:test': true,
  'hooks:status': true,
  'hooks:install': true,
  'hooks:uninstall': true,
});

export const SERVER_EVENT_NAMES = names<keyof ServerEvents>({
  hello: true,
  events: true,
  heartbeat: true,
  log: true,
  'request:error': true,
});

export const DESKTOP_EVENT_NAMES = names<keyof DesktopEvents>({ 'focus:item': true, 'settings:changed': true });

/** The window's "connect": invoked, answered with a fresh hello. */
export const HELLO_CHANNEL = `${PREFIX}hello`;

/** Every protocol request (invoked with its name and payload); main answers with the reply. */
export const REQUEST_CHANNEL = `${PREFIX}request`;

/** Server events pushed to the window. */
export const protocolChannel = (name: keyof ServerEvents): string => `${PREFIX}${name}`;

/** Desktop-only requests and pushes live under their own prefix so no name can collide with the protocol's. */
export const desktopChannel = (name: DesktopRequestName | keyof DesktopEvents): string => `${PREFIX}desktop:${name}`;
