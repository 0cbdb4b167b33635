export { roles, hasRole } from './roles.ts';
export type { Role, Principal } from './roles.ts';
export { createWorkspace, findWorkspaceBySlug, findWorkspace } from './workspace.repository.ts';
export type { Workspace } from './workspace.repository.ts';
export { createUser, findUser, listUsers, verifyLogin, minPasswordLength } from './user.repository.ts';
export type { User } from './user.repository.ts';
export { createSession, findSessionPrincipal, deleteSession, sessionLifetimeMs } from './session.repository.ts';
export { createApiToken, findTokenPrincipal } from './api-token.repository.ts';
