// Client-side routes (the server falls back to index.html for them):
//   /                      lobby (host)
//   /login, /signup[?code=] sign in or create an account (pages/sign-in.ts)
//   /join?token=...        the room for the invite's participant (also /room/<id>?token=...)
//   /study/<id>?token=...  study room: a peer session (pages/study.ts); &name= skips the name form
//   /debrief/<loopId>?token=...
//   /loop/<loopId>/settings?token=...  the host's loop settings: people, links, schedule
//   /written/<loopId>[/<assignmentId>]?token=...  the written work (pages/written.ts)
//   /replay/<loopId>/<round>?token=...[&at=<ms>]  a round's replay (pages/replay.ts)
//   /progress[/<profileId>]  a candidate's progress and preparation (pages/progress.ts)
//   /progress/claim?code=    a candidate takes over the profile a mentor kept for them
import './styles.css';
// Each page is its own chunk: the lobby does not load CodeMirror or Yjs.

const TOKEN_KEY_PREFIX = 'mockloop.token:';

/**
 * The invite token of this page. A token in the link (`?token=` or the older `/join/<token>`)
 * is moved out of the address bar at once (history.replaceState), so it does not stay on
 * screen, in the history or in a Referer, and kept in this tab's sessionStorage under the
 * page's path, so that a reload of the tab still finds it.
 */
function tokenFromUrl(): string | undefined {
  const url = new URL(location.href);
  let token = url.searchParams.get('token') ?? undefined;
  const m = /^\/join\/([^/]+)$/.exec(url.pathname); // older link style /join/<token>
  if (!token && m) {
    token = decodeURIComponent(m[1]!);
    url.pathname = '/join';
  }
  url.searchParams.delete('token');
  const key = TOKEN_KEY_PREFIX + url.pathname;
  if (token) {
    try {
      sessionStorage.setItem(key, token);
    } catch {
      return token; // storage refused (private mode quota): keep the link as it is
    }
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return token;
  }
  try {
    return sessionStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The host token the lobby saved for `loopId` in this browser (pages/lobby.ts, 'mockloop.loops'). */
function savedHostToken(loopId: string): string | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem('mockloop.loops') ?? '[]') as { id: string; hostToken: string }[];
    return saved.find((l) => l.id === loopId)?.hostToken;
  } catch {
    return undefined;
  }
}

async function route(): Promise<void> {
  const app = document.getElementById('app')!;
  const path = location.pathname;
  const token = tokenFromUrl();
  let m: RegExpExecArray | null;
  if (path === '/' || path === '/index.html') {
    (await import('./pages/lobby')).renderLobby(app);
  } else if (path === '/login' || path === '/signup') {
    (await import('./pages/sign-in')).renderSignIn(app, path === '/login' ? 'login' : 'signup');
  } else if (path === '/progress/claim') {
    (await import('./pages/progress')).renderClaim(app, new URLSearchParams(location.search).get('code') ?? '');
  } else if ((m = /^\/progress(?:\/([^/]+))?$/.exec(path))) {
    (await import('./pages/progress')).renderProgress(app, m[1] ? decodeURIComponent(m[1]) : undefined);
  } else if ((m = /^\/debrief\/([^/]+)$/.exec(path))) {
    (await import('./pages/debrief')).renderDebrief(app, decodeURIComponent(m[1]!), token ?? '');
  } else if ((m = /^\/loop\/([^/]+)\/settings$/.exec(path))) {
    (await import('./pages/loop-settings')).renderLoopSettings(app, decodeURIComponent(m[1]!), token ?? '');
  } else if ((m = /^\/written\/([^/]+)(?:\/([^/]+))?$/.exec(path))) {
    const loopId = decodeURIComponent(m[1]!);
    const aid = m[2] ? decodeURIComponent(m[2]) : undefined;
    (await import('./pages/written')).renderWritten(app, loopId, aid, token ?? '');
  } else if ((m = /^\/replay\/([^/]+)\/(\d+)$/.exec(path))) {
    const at = Number(new URLSearchParams(location.search).get('at') ?? '') || undefined;
    const loopId = decodeURIComponent(m[1]!);
    // The HTML report's links carry no token (the file may be passed around): the host's
    // browser still opens them with the token the lobby saved for the loop.
    (await import('./pages/replay')).renderReplay(app, loopId, Number(m[2]), token ?? savedHostToken(loopId) ?? '', at);
  } else if ((m = /^\/study\/([^/]+)$/.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    const name = new URLSearchParams(location.search).get('name') ?? undefined;
    void import('@codemirror/lang-python');
    const { StudyPage } = await import('./pages/study');
    app.replaceChildren(new StudyPage({ id, token, displayName: name }).el);
  } else if (path.startsWith('/join') || path.startsWith('/room/') || path.startsWith('/loop/')) {
    void import('@codemirror/lang-python'); // the default language: fetch it alongside the room chunk
    const { RoomPage } = await import('./pages/room');
    app.replaceChildren(new RoomPage({ token }).el);
    if (token) void import('./pages/attach-invite').then((m) => m.offerAttach(app, token));
  } else {
    app.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Page not found.' }));
  }
}

void route();
