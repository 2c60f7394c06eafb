// Access tokens for the web UI and the socket.io API (docs/architecture.md, security). Secrets come
// from a CSPRNG and are shown once; tokens.json keeps only their SHA-256 (a 256-bit random secret
// needs no slow hash), so a leaked config folder does not leak access. The exceptions are the
// default tokens `vigil serve` prints (read, and control with --control), whose secrets sit in
// their own 0600 files so the printed URLs survive restarts; revoking one deletes its file and the
// next start makes a new one.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TokenScopeSchema, type TokenInfo, type TokenScope } from '../../shared/tokens';
import type { Closable } from '../engine/api';
import { JsonFile, writeFileAtomic } from '../engine/json-file';

/** Every secret starts with this, so one pasted into a chat or a log is recognisable. */
export const TOKEN_PREFIX = 'vigil_';
export const TOKENS_FILE = 'tokens.json';
export const DEFAULT_TOKEN_FILE = 'default-read-token';
/** Where the secret of the control token `vigil serve --control` prints is kept. */
export const DEFAULT_CONTROL_TOKEN_FILE = 'default-control-token';
const DEFAULT_TOKEN_FILES: Record<DefaultScope, string> = { read: DEFAULT_TOKEN_FILE, control: DEFAULT_CONTROL_TOKEN_FILE };
const DEFAULT_TOKEN_LABELS: Record<DefaultScope, string> = { read: 'default (vigil serve)', control: 'default control (vigil serve --control)' };
/** The scopes a default token (one whose secret `vigil serve` keeps to print) can have. */
type DefaultScope = Exclude<TokenScope, 'hook'>;
/** The secret of the hook token the endpoint file hands to `vigil hook`. */
export const HOOK_TOKEN_FILE = 'hook-token';
const HOOK_TOKEN_LABEL = 'agent hooks (vigil hook)';

const StoredTokenSchema = z.object({
  id: z.string(),
  scope: TokenScopeSchema,
  label: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  /** Hex SHA-256 of the secret. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** A token `vigil serve` prints; its secret is kept in the default file of its scope. */
  isDefault: z.boolean().optional(),
  /** The hook token `vigil hook` uses; its secret is kept in HOOK_TOKEN_FILE. */
  isHook: z.boolean().optional(),
});
type StoredToken = z.infer<typeof StoredTokenSchema>;

const TokensDocumentSchema = z.object({ version: z.literal(1), tokens: z.array(StoredTokenSchema) });
type TokensDocument = z.infer<typeof TokensDocumentSchema>;

/** A verified token: who is asking, and what they may do. */
export interface TokenGrant {
  id: string;
  scope: TokenScope;
  /** What the token was made for ('' when nobody said): recorded on the runs it starts. */
  label: string;
}

export interface CreatedToken {
  token: TokenInfo;
  /** Shown once; only its hash is stored. */
  secret: string;
}

export interface TokenStoreOptions {
  /** Follow tokens.json so a `vigil token revoke` in another process takes effect here at once. */
  watch?: boolean;
  /** How long lastUsedAt updates wait before they are written (they are not worth a write per use). */
  lastUsedFlushMs?: number;
  now?: () => number;
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function newSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

function newId(): string {
  return `tok_${randomBytes(6).toString('hex')}`;
}

function toInfo(token: StoredToken): TokenInfo {
  return {
    id: token.id,
    scope: token.scope,
    label: token.label,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
  };
}

export class TokenStore {
  private tokens: StoredToken[] = [];
  private readonly file: JsonFile<typeof TokensDocumentSchema>;
  private readonly revokedListeners = new Set<(id: string) => void>();
  private readonly warningListeners = new Set<(message: string) => void>();
  /** Identity of tokens.json as last read or written (inode, size, mtime), to spot outside changes. */
  private fileState: string | null = null;
  /** lastUsedAt values not yet written, by token id. */
  private readonly usedSinceFlush = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  /** Writes are chained so two mutations never interleave their read-modify-write. */
  private writes: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly now: () => number;
  private readonly lastUsedFlushMs: number;
  /** Set when tokens.json was unreadable and moved aside; say it to the user. */
  warning: string | null = null;

  private constructor(
    readonly dir: string,
    options: TokenStoreOptions,
  ) {
    this.file = new JsonFile(join(dir, TOKENS_FILE), TokensDocumentSchema, () => ({ version: 1 as const, tokens: [] }));
    this.now = options.now ?? Date.now;
    this.lastUsedFlushMs = options.lastUsedFlushMs ?? 10_000;
  }

  /** Load the tokens kept in `dir` (the config folder), creating nothing until a token is made. */
  static async open(dir: string, options: TokenStoreOptions = {}): Promise<TokenStore> {
    const store = new TokenStore(dir, options);
    const loaded = await store.file.load();
    store.tokens = loaded.value.tokens;
    store.warning = loaded.warning;
    await store.noteFileState();
    if (options.watch) await store.startWatching();
    return store;
  }

  list(): TokenInfo[] {
    return this.tokens.map(toInfo);
  }

  /**
   * The token a presented secret belongs to, or null. Every stored hash is compared in
   * constant time (both sides are SHA-256 digests, so lengths always match).
   */
  verify(secret: unknown): TokenGrant | null {
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > 512) return null;
    const presented = hashSecret(secret);
    let match = this.find(presented);
    if (!match && this.refreshIfChanged()) match = this.find(presented);
    if (!match) return null;
    this.noteUse(match);
    return { id: match.id, scope: match.scope, label: match.label };
  }

  private find(presented: Buffer): StoredToken | null {
    let match: StoredToken | null = null;
    for (const token of this.tokens) {
      if (timingSafeEqual(presented, Buffer.from(token.hash, 'hex'))) match = token;
    }
    return match;
  }

  /** Told each time a damaged tokens.json is repaired or cannot be re-read (the CLI prints it). */
  onWarning(listener: (message: string) => void): Closable {
    this.warningListeners.add(listener);
    return { close: () => this.warningListeners.delete(listener) };
  }

  async create(scope: TokenScope = 'read', label = ''): Promise<CreatedToken> {
    const secret = newSecret();
    const token: StoredToken = {
      id: newId(),
      scope,
      label: label.slice(0, 100),
      createdAt: this.now(),
      lastUsedAt: null,
      hash: hashSecret(secret).toString('hex'),
    };
    await this.mutate((doc) => doc.tokens.push(token));
    return { token: toInfo(token), secret };
  }

  /** Remove a token; sockets using it are disconnected by whoever listens to onRevoked. False if unknown. */
  async revoke(id: string): Promise<boolean> {
    const found = await this.mutate((doc) => {
      const token = doc.tokens.find((t) => t.id === id);
      doc.tokens = doc.tokens.filter((t) => t.id !== id);
      return token;
    });
    if (!found) return false;
    // Listeners already heard of it: adopting the written list reports every vanished token.
    if (found.isDefault) await unlink(join(this.dir, DEFAULT_TOKEN_FILES[found.scope as DefaultScope])).catch(() => undefined);
    if (found.isHook) await unlink(join(this.dir, HOOK_TOKEN_FILE)).catch(() => undefined);
    return true;
  }

  /**
   * The read token `vigil serve` prints: the same one across restarts while it exists, a new
   * one after it was revoked or its secret file deleted.
   */
  defaultReadToken(): Promise<CreatedToken> {
    return this.defaultToken('read');
  }

  /** The control token `vigil serve --control` prints, kept the same way as the read one. */
  defaultControlToken(): Promise<CreatedToken> {
    return this.defaultToken('control');
  }

  private async defaultToken(scope: DefaultScope): Promise<CreatedToken> {
    const secretPath = join(this.dir, DEFAULT_TOKEN_FILES[scope]);
    const isThisDefault = (t: StoredToken): boolean => t.isDefault === true && t.scope === scope;
    // All under the lock of tokens.json: two servers starting together on an empty config
    // must end up printing the same token, not each replace the other's.
    return this.mutate(async (doc) => {
      const kept = await readFile(secretPath, 'utf8').then(
        (text) => text.trim(),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return null;
          throw new Error(`Cannot read the default token file ${secretPath}: ${describeFsError(err)}`);
        },
      );
      if (kept) {
        const hash = hashSecret(kept).toString('hex');
        const token = doc.tokens.find((t) => isThisDefault(t) && t.hash === hash);
        if (token) return { token: toInfo(token), secret: kept };
      }
      const secret = newSecret();
      const token: StoredToken = {
        id: newId(),
        scope,
        label: DEFAULT_TOKEN_LABELS[scope],
        createdAt: this.now(),
        lastUsedAt: null,
        hash: hashSecret(secret).toString('hex'),
        isDefault: true,
      };
      try {
        await writeFileAtomic(secretPath, `${secret}\n`);
      } catch (err) {
        throw new Error(`Cannot write the default token file ${secretPath}: ${describeFsError(err)}`);
      }
      // A stale default (its secret file lost) can never be printed again: replace it.
      doc.tokens = doc.tokens.filter((t) => !isThisDefault(t));
      doc.tokens.push(token);
      return { token: toInfo(token), secret };
    });
  }

  /**
   * The token `vigil hook` posts with (scope `hook`: post agent events, nothing else): the
   * same one across restarts while it exists, so hooks of a restarted Vigil keep working.
   */
  async hookToken(): Promise<CreatedToken> {
    const secretPath = join(this.dir, HOOK_TOKEN_FILE);
    const kept = await readFile(secretPath, 'utf8').then(
      (text) => text.trim(),
      () => null,
    );
    if (kept) {
      const hash = hashSecret(kept).toString('hex');
      const token = this.tokens.find((t) => t.isHook && t.hash === hash);
      if (token) return { token: toInfo(token), secret: kept };
    }
    const secret = newSecret();
    const token: StoredToken = {
      id: newId(),
      scope: 'hook',
      label: HOOK_TOKEN_LABEL,
      createdAt: this.now(),
      lastUsedAt: null,
      hash: hashSecret(secret).toString('hex'),
      isHook: true,
    };
    await this.mutate((doc) => {
      doc.tokens = doc.tokens.filter((t) => !t.isHook);
      doc.tokens.push(token);
    });
    await writeFileAtomic(secretPath, `${secret}\n`);
    return { token: toInfo(token), secret };
  }

  /** Called with the id of every token that stops being valid, whichever process revoked it. */
  onRevoked(listener: (id: string) => void): Closable {
    this.revokedListeners.add(listener);
    return { close: () => this.revokedListeners.delete(listener) };
  }

  /** Stop following the file and write pending lastUsedAt values. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.revokedListeners.clear();
    this.warningListeners.clear();
    await this.flushLastUsed();
    await this.writes;
  }

  private noteUse(token: StoredToken): void {
    const at = this.now();
    token.lastUsedAt = at;
    this.usedSinceFlush.set(token.id, at);
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flushLastUsed().catch(() => undefined);
    }, this.lastUsedFlushMs);
    this.flushTimer.unref();
  }

  private async flushLastUsed(): Promise<void> {
    if (this.usedSinceFlush.size === 0) return;
    const used = new Map(this.usedSinceFlush);
    this.usedSinceFlush.clear();
    await this.mutate((doc) => {
      for (const token of doc.tokens) {
        const at = used.get(token.id);
        if (at !== undefined) token.lastUsedAt = Math.max(at, token.lastUsedAt ?? 0);
      }
    });
  }

  /**
   * Read-modify-write against the file, not the copy in memory, under the cross-process lock:
   * another process (the CLI, the desktop app, another server) may have changed it since we
   * loaded it, and may be changing it right now.
   */
  private mutate<T>(change: (doc: TokensDocument) => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const { result, value, warning } = await this.file.update(change);
      if (warning) this.warn(warning);
      this.adopt(value.tokens);
      await this.noteFileState();
      return result;
    };
    const next = this.writes.then(run, run);
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** Take a new list as the truth; tokens that vanished are revoked. */
  private adopt(tokens: StoredToken[]): void {
    const ids = new Set(tokens.map((t) => t.id));
    const vanished = this.tokens.filter((t) => !ids.has(t.id)).map((t) => t.id);
    // Keep newer in-memory lastUsedAt values that have not been written yet.
    for (const token of tokens) {
      const pending = this.usedSinceFlush.get(token.id);
      if (pending !== undefined) token.lastUsedAt = pending;
    }
    this.tokens = tokens;
    for (const id of vanished) this.emitRevoked(id);
  }

  private emitRevoked(id: string): void {
    for (const listener of this.revokedListeners) {
      try {
        listener(id);
      } catch {
        // One listener failing must not keep a revoked token alive for the others.
      }
    }
  }

  private async startWatching(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // The folder, not the file: atomic saves replace the file, which a file watch would lose.
    this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
      if (name !== null && name !== TOKENS_FILE) return;
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reload(), 30);
      this.reloadTimer.unref();
    });
    this.watcher.on('error', () => {
      // The folder went away; tokens already loaded stay valid until restart.
      this.watcher?.close();
      this.watcher = null;
    });
  }

  private async reload(): Promise<void> {
    if (this.closed) return;
    try {
      // A damaged file is repaired by load(): moved aside, the last good list written back.
      const { value, warning } = await this.file.load();
      if (warning) this.warn(warning);
      this.adopt(value.tokens);
      await this.noteFileState();
    } catch (err) {
      this.warn(`Cannot re-read ${this.file.path}: ${describeFsError(err)}; the tokens loaded before stay in use.`);
    }
  }

  /**
   * A secret that matches nothing may belong to a token another process created a moment ago,
   * before the folder watch said so: re-read the file when it changed since we last read it.
   * One stat for an unknown secret; nothing for a known one.
   */
  private refreshIfChanged(): boolean {
    let now: string;
    try {
      const info = statSync(this.file.path);
      now = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return false;
    }
    if (now === this.fileState) return false;
    try {
      const parsed = TokensDocumentSchema.safeParse(JSON.parse(readFileSync(this.file.path, 'utf8')));
      if (!parsed.success) return false;
      this.fileState = now;
      this.adopt(parsed.data.tokens);
      return true;
    } catch {
      return false;
    }
  }

  private async noteFileState(): Promise<void> {
    try {
      const info = await stat(this.file.path);
      this.fileState = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      this.fileState = null;
    }
  }

  private warn(message: string): void {
    this.warning = message;
    for (const listener of this.warningListeners) {
      try {
        listener(message);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EISDIR') return 'it is a folder, not a file; move it away';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied; check who owns the config folder';
  return err instanceof Error ? err.message : String(err);
}
