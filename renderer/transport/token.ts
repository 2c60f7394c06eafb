// The access token arrives in the URL fragment (`#token=…`), which browsers never send to a
// server or put in a Referer. We take it out of the address bar at once (so it is not
// bookmarked, screen-shared or left in history) and keep it for this tab in sessionStorage,
// so a reload still works.
export const TOKEN_STORAGE_KEY = 'vigil.token';

export interface TokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** Reads `token` from a fragment such as `#token=abc&x=1`; null when absent. */
export function tokenFromFragment(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment) return null;
  const value = new URLSearchParams(fragment).get('token');
  return value && value.trim() ? value.trim() : null;
}

/** The fragment without its token (other parameters kept), with a leading '#' or ''. */
export function fragmentWithoutToken(hash: string): string {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  params.delete('token');
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

/** Take the token from the address bar (removing it there) or from this tab's storage. */
export function takeToken(place: TokenPlace): string | null {
  const fromUrl = tokenFromFragment(place.location.hash);
  if (fromUrl) {
    try {
      place.storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be disabled (private mode): the token still works until the tab closes.
    }
    const clean = `${place.location.pathname}${place.location.search}${fragmentWithoutToken(place.location.hash)}`;
    place.history.replaceState(place.history.state, '', clean);
    return fromUrl;
  }
  try {
    return place.storage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}
