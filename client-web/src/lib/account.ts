// The signed-in user (issue 20): sign-up, sign-in, sign-out and the account's loops. The
// session is an HttpOnly cookie the page never sees; what the page keeps is the session's
// CSRF token (lib/api.ts sends it with every state change).

import {
  ArchiveLoopRequestSchema,
  AttachInviteRequestSchema,
  DeleteLoopResponseSchema,
  LoopExportSchema,
  AuthConfigSchema,
  AuthResponseSchema,
  ChangePasswordRequestSchema,
  ListMyLoopsResponseSchema,
  LoginRequestSchema,
  LogoutResponseSchema,
  MyLoopSchema,
  SignupCodeSchema,
  SignupRequestSchema,
  type AuthResponse,
} from '../gen/account_pb';
import { InviteSchema } from '../gen/loop_pb';
import { ApiError, bodyOf, call, setCsrfToken } from './api';

function remember(r: AuthResponse): AuthResponse {
  setCsrfToken(r.csrfToken);
  return r;
}

export const account = {
  /** The signed-in user, or null when this browser is not signed in. */
  async me(): Promise<AuthResponse | null> {
    try {
      return remember(await call(AuthResponseSchema, 'GET', '/api/me'));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 404)) return null;
      throw e;
    }
  },
  signup: async (email: string, password: string, displayName: string, inviteCode: string) =>
    remember(await call(AuthResponseSchema, 'POST', '/api/auth/signup', undefined, bodyOf(SignupRequestSchema, { email, password, displayName, inviteCode }))),
  login: async (email: string, password: string) =>
    remember(await call(AuthResponseSchema, 'POST', '/api/auth/login', undefined, bodyOf(LoginRequestSchema, { email, password }))),
  async logout(everywhere = false) {
    const r = await call(LogoutResponseSchema, 'POST', everywhere ? '/api/auth/logout-all' : '/api/auth/logout');
    setCsrfToken('');
    return r;
  },
  changePassword: (currentPassword: string, newPassword: string) =>
    call(AuthResponseSchema, 'POST', '/api/auth/password', undefined, bodyOf(ChangePasswordRequestSchema, { currentPassword, newPassword })),
  signupCode: (admin: boolean) => call(SignupCodeSchema, 'POST', '/api/auth/signup-codes', undefined, { admin }),
  /** How this server signs people in (passwords, single sign-on). */
  config: () => call(AuthConfigSchema, 'GET', '/api/auth/config'),
  /** Where the browser goes to sign in with the provider (a navigation, not a fetch). */
  ssoUrl(startUrl: string, opts: { code?: string; link?: boolean; returnTo?: string } = {}): string {
    const q = new URLSearchParams();
    if (opts.code) q.set('code', opts.code);
    if (opts.link) q.set('link', '1');
    if (opts.returnTo) q.set('return', opts.returnTo);
    const s = q.toString();
    return s ? `${startUrl}?${s}` : startUrl;
  },
  myLoops: (archived = false) => call(ListMyLoopsResponseSchema, 'GET', archived ? '/api/me/loops?archived=1' : '/api/me/loops'),
  // The host's actions from the account (no link needed): see docs/accounts.md "Home pages".
  reissue: (loopId: string, participantId: string) =>
    call(InviteSchema, 'POST', `/api/me/loops/${encodeURIComponent(loopId)}/participants/${encodeURIComponent(participantId)}/invite`),
  archive: (loopId: string, archived: boolean) =>
    call(MyLoopSchema, 'PUT', `/api/me/loops/${encodeURIComponent(loopId)}/archive`, undefined, bodyOf(ArchiveLoopRequestSchema, { archived })),
  exportLoop: (loopId: string) => call(LoopExportSchema, 'GET', `/api/me/loops/${encodeURIComponent(loopId)}/export`),
  deleteLoop: (loopId: string) => call(DeleteLoopResponseSchema, 'DELETE', `/api/me/loops/${encodeURIComponent(loopId)}`),
  attachInvite: (token: string) => call(MyLoopSchema, 'POST', '/api/me/invites', undefined, bodyOf(AttachInviteRequestSchema, { token })),
};

/** Longest `?next=` path (in characters) the sign-in pages follow; the server caps the OIDC return at 512 bytes. */
export const kMaxNextPathBytes = 512;

/**
 * Where the sign-in pages go after success: `next` when it is a path on this server ("/..."
 * but not "//..." or "/\\...", no control characters or backslash, at most
 * kMaxNextPathBytes), otherwise "/". Mirrors safe_return in server/loop/oidc_api.cpp, so an
 * attacker's link cannot send a signed-in browser to another site.
 */
export function safeNext(next: string | null | undefined): string {
  const p = next ?? '';
  if (!p || p.length > kMaxNextPathBytes || p[0] !== '/' || (p.length > 1 && (p[1] === '/' || p[1] === '\\'))) return '/';
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 0x21 || c === 0x7f || p[i] === '\\') return '/';
  }
  return p;
}

/** A sign-in (or sign-up) page's address that comes back to `here` afterwards (the bare page for "/"). */
export function signInHref(page: string, here: string): string {
  return here === '/' ? page : `${page}?next=${encodeURIComponent(here)}`;
}
