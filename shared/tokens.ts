// Access tokens as clients may see them: a scope and a label, never the secret after creation.
import { z } from 'zod';

/** `hook` may only post agent events (`vigil hook`): it can read nothing and change nothing else. */
export const TokenScopeSchema = z.enum(['read', 'control', 'hook']);
export type TokenScope = z.infer<typeof TokenScopeSchema>;

/** A token as it may be shown: never the secret itself after creation. */
export interface TokenInfo {
  id: string;
  scope: TokenScope;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
}
