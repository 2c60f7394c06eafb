// Ids are unique within a project only, so every table is keyed by project and id together.
export const itemKey = (projectId: string, id: string): string => `${projectId}/${id}`;
export const issueKey = (projectId: string, path: string): string => `${projectId}/${path}`;
export const logKey = (projectId: string, path: string): string => `${projectId}/${path}`;
