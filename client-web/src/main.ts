// Client-side routes (the server falls back to index.html for them):
//   /                      lobby (host)
//   /join?token=...        the room for the invite's participant (also /room/<id>?token=...)
//   /study/<id>?token=...  study room (shared doc only)
//   /debrief/<loopId>?token=...
import './styles.css';
// Each page is its own chunk: the lobby does not load CodeMirror or Yjs.

function tokenFromUrl(): string | undefined {
  const q = new URLSearchParams(location.search);
  const t = q.get('token') ?? undefined;
  const m = /^\/join\/([^/]+)$/.exec(location.pathname); // older link style /join/<token>
  return t ?? (m ? decodeURIComponent(m[1]!) : undefined);
}

async function route(): Promise<void> {
  const app = document.getElementById('app')!;
  const path = location.pathname;
  const token = tokenFromUrl();
  let m: RegExpExecArray | null;
  if (path === '/' || path === '/index.html') {
    (await import('./pages/lobby')).renderLobby(app);
  } else if ((m = /^\/debrief\/([^/]+)$/.exec(path))) {
    (await import('./pages/debrief')).renderDebrief(app, decodeURIComponent(m[1]!), token ?? '');
  } else if ((m = /^\/study\/([^/]+)$/.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    const name = new URLSearchParams(location.search).get('name') ?? undefined;
    void import('@codemirror/lang-python');
    const { RoomPage } = await import('./pages/room');
    app.replaceChildren(new RoomPage({ studyDoc: id.startsWith('study-') ? id : `study-${id}`, token, displayName: name }).el);
  } else if (path.startsWith('/join') || path.startsWith('/room/') || path.startsWith('/loop/')) {
    void import('@codemirror/lang-python'); // the default language: fetch it alongside the room chunk
    const { RoomPage } = await import('./pages/room');
    app.replaceChildren(new RoomPage({ token }).el);
  } else {
    app.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Page not found.' }));
  }
}

void route();
