// On an invite's page (the room, the written work): when this browser is signed in, a small
// bar offers to attach the invite to the account (POST /api/me/invites), so the loop shows
// under "My loops" on every device. Never automatic: a host trying a guest's link should not
// collect it. Nothing is shown to guests who are not signed in.

import { account } from '../lib/account';
import { h } from '../lib/dom';

export async function offerAttach(root: HTMLElement, token: string): Promise<void> {
  const me = await account.me().catch(() => null);
  if (!me?.user) return;
  const status = h('span', { role: 'status' });
  const btn = h(
    'button',
    {
      type: 'button',
      class: 'small',
      'data-testid': 'attach-invite',
      onclick: async () => {
        btn.disabled = true;
        try {
          const l = await account.attachInvite(token);
          status.textContent = ` Added "${l.title}" to your loops.`;
          btn.remove();
        } catch (e) {
          status.textContent = ` Could not add it: ${(e as Error).message}`;
          btn.disabled = false;
        }
      },
    },
    'Add this loop to my account',
  );
  root.append(h('p', { class: 'attach-bar', 'data-testid': 'attach-bar' }, `Signed in as ${me.user.displayName || me.user.email}. `, btn, status));
}
