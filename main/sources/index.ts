// Every planning convention Vigil understands. The order is the order sources are listed in
// (and the first owner of a path wins).
import { backlog } from './backlog';
import { bmad } from './bmad';
import { coderef } from './coderef';
import { gsd } from './gsd';
import { kiro } from './kiro';
import { openspec } from './openspec';
import { speckit } from './speckit';
import { taskmaster } from './taskmaster';
import type { SourceAdapter } from './types';

export const ADAPTERS: readonly SourceAdapter[] = [coderef, gsd, bmad, speckit, taskmaster, backlog, kiro, openspec];
