// @authbridge/better-auth: the Better Auth plugin that issues the backend token, the server helpers that
// give a request's token, and the contract's TypeScript types.
export * from "./contract.js";
export {
  type IssuedBackendToken,
  type IssuerConfig,
  issueBackendToken,
  newTokenId,
  sessionSubject,
  type TokenSubject,
} from "./issuer.js";
export { BACKEND_TOKEN_PLUGIN_ID, type BackendTokenOptions, backendToken, resolveBackendTokenOptions } from "./plugin.js";
export { type AuthWithBackendToken, backendTokenFor, backendTokenForSession, type SessionIds } from "./server.js";
