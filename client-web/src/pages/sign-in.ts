// Sign-in and sign-up pages (issue 20): /login, and /signup (?code= carries a one-time
// sign-up code, e.g. the first-start link that makes the server's first admin). On success
// the browser holds the session cookie and goes to the lobby, or back to `?next=` (a path on
// this server, e.g. a handover link opened while signed out).

import { account, safeNext, signInHref } from '../lib/account';
import { ApiError } from '../lib/api';
import { h, replace } from '../lib/dom';

export function renderSignIn(root: HTMLElement, mode: 'login' | 'signup'): void {
  const params = new URLSearchParams(location.search);
  const code = params.get('code') ?? '';
  const ssoError = params.get('sso_error') ?? '';
  const next = safeNext(params.get('next'));
  // Keep the code off screen; keep where to go back to.
  if (code || ssoError) history.replaceState(history.state, '', signInHref(location.pathname, next));
  const status = h('p', { role: 'status', class: 'status', 'data-testid': 'auth-status' }, ssoError ? `Single sign-on failed: ${ssoError}` : '');
  const email = h('input', { id: 'email', type: 'email', required: true, maxlength: 254, autocomplete: 'username', 'data-testid': 'auth-email' });
  const password = h('input', { id: 'password', type: 'password', required: true, minlength: mode === 'signup' ? 10 : 1, maxlength: 1024, autocomplete: mode === 'signup' ? 'new-password' : 'current-password', 'data-testid': 'auth-password' });
  const name = h('input', { id: 'display-name', maxlength: 100, autocomplete: 'name', 'data-testid': 'auth-name' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'auth-submit' }, mode === 'signup' ? 'Create account' : 'Sign in');
  const form = h(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'auth-h',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        status.textContent = mode === 'signup' ? 'Creating your account…' : 'Signing in…';
        try {
          if (mode === 'signup') await account.signup(email.value, password.value, name.value, code);
          else await account.login(email.value, password.value);
          location.assign(next);
        } catch (err) {
          status.textContent = err instanceof ApiError ? err.message : String(err);
          submit.disabled = false;
        }
      },
    },
    h('h2', { id: 'auth-h' }, mode === 'signup' ? (code ? 'Create your account' : 'Sign up') : 'Sign in'),
    mode === 'signup' && code ? h('p', { class: 'muted' }, 'This one-time link creates an account on this server.') : null,
    h('label', { for: 'email' }, 'E-mail'),
    email,
    mode === 'signup' ? [h('label', { for: 'display-name' }, 'Your name'), name] : null,
    h('label', { for: 'password' }, mode === 'signup' ? 'Password (at least 10 characters)' : 'Password'),
    password,
    h('div', { class: 'row' }, submit),
    status,
    h('p', { class: 'muted' }, mode === 'signup' ? h('a', { href: signInHref('/login', next) }, 'I have an account') : h('a', { href: signInHref('/signup', next) }, 'Create an account'), ' · ', h('a', { href: '/' }, 'Back')),
  );
  // Single sign-on when the server has it ("Sign in with <provider>"); without passwords
  // (--password-login off) the form goes and the button is the only way in.
  const sso = h('div', { class: 'sso', 'data-testid': 'sso', hidden: true });
  form.prepend(sso);
  account.config().then(
    (cfg) => {
      if (cfg.ssoName) {
        const label = `${mode === 'signup' ? 'Sign up' : 'Sign in'} with ${cfg.ssoName}`;
        replace(sso, h('a', { class: 'button primary', href: account.ssoUrl(cfg.ssoStartUrl, { code, returnTo: next === '/' ? undefined : next }), 'data-testid': 'sso-button' }, label));
        sso.hidden = false;
      }
      if (!cfg.passwordLogin) {
        for (const el of [email, password, name, submit]) el.hidden = true;
        for (const l of form.querySelectorAll('label')) (l as HTMLElement).hidden = true;
      }
    },
    () => undefined,
  );
  replace(root, h('div', { class: 'lobby', 'data-testid': 'sign-in' }, h('header', { class: 'lobby-header' }, h('h1', {}, 'MockLoop')), h('main', { class: 'lobby-main' }, form)));
}
