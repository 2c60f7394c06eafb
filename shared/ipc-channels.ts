// The Electron IPC channel names, with no runtime imports: the sandboxed preload bundles this
// file, and a sandboxed preload may require nothing but 'electron' (zod, which the schema
// modules load at runtime, would break it). The lists are checked against the typed maps of
// protocol.ts and desktop.ts at compile time, so a new request or event cannot be forgotten.
import type { DesktopEvents, DesktopRequestName } from './desktop';
import type { RequestName, ServerEvents } from './protocol';

/** The same prefix as protocol.ts `IPC_PREFIX`; a test keeps the two equal. */
const PREFIX = 'vigil:';

// A record keyed by every name: the compiler rejects a missing or an unknown key.
const names = <N extends string>(all: Record<N, true>): readonly N[] => Object.keys(all) as N[];

export const REQUEST_NAMES = names<RequestName>({
  subscribe: true,
  resync: true,
  'project:add': true,
  'project:remove': true,
  'project:pause': true,
  'engine:start': true,
  'engine:stop': true,
  refresh: true,
  'projects:discover': true,
  'demo:start': true,
  'run:start': true,
  'run:cancel': true,
  'run:retry': true,
  'batch:start': true,
  'batch:stop': true,
  'runs:list': true,
  'actions:list': true,
});

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

/** Protocol requests (invoke) and server events (push); equal to protocol.ts `ipcChannel(name)`. */
export const protocolChannel = (name: RequestName | keyof ServerEvents): string => `${PREFIX}${name}`;

/** Desktop-only requests and pushes live under their own prefix so no name can collide with the protocol's. */
export const desktopChannel = (name: DesktopRequestName | keyof DesktopEvents): string => `${PREFIX}desktop:${name}`;
