// What each role may see and do in the client. The server is the authority (it never sends
// interviewer content to a candidate); these rules decide what the client renders so that a
// candidate's page has no interviewer controls or empty interviewer panels at all.

export type Role = 'host' | 'interviewer' | 'bar_raiser' | 'candidate' | 'observer' | 'peer' | 'unknown';

export interface Capabilities {
  /** Questions with hints, rubric form, scorecard. */
  interviewerPanel: boolean;
  /** The Bar Raiser's veto control. */
  barRaiserPanel: boolean;
  /** The interviewers-only private notes doc (room-<id>-private). */
  privateNotes: boolean;
  /** Start/pause/next/extend on the phase timer. */
  timerControls: boolean;
  /** The debrief page. */
  debrief: boolean;
  /** May edit the whiteboard and code pad. */
  editBoard: boolean;
}

export function normalizeRole(raw: string | number | undefined | null): Role {
  const s = String(raw ?? '').toLowerCase().replace(/^role_/, '').replace(/-/g, '_');
  switch (s) {
    case 'host':
    case 'interviewer':
    case 'candidate':
    case 'observer':
    case 'peer':
      return s;
    case 'bar_raiser':
    case 'barraiser':
      return 'bar_raiser';
    default:
      return 'unknown';
  }
}

/**
 * `serverSaysPanel` is whether the server's join snapshot carried interviewer content
 * (questions/rubric). The panel needs both the role and the content: a role that could see
 * it but received nothing shows nothing, and content never turns a candidate into an
 * interviewer.
 */
export function capabilitiesFor(role: Role, serverSaysPanel = true): Capabilities {
  const staff = role === 'interviewer' || role === 'bar_raiser' || role === 'host';
  return {
    interviewerPanel: staff && serverSaysPanel,
    barRaiserPanel: role === 'bar_raiser' && serverSaysPanel,
    privateNotes: staff,
    timerControls: staff || role === 'peer',
    debrief: role === 'host' || role === 'bar_raiser',
    editBoard: role !== 'observer' && role !== 'unknown',
  };
}

export function roleLabel(role: Role): string {
  return (
    {
      host: 'Host',
      interviewer: 'Interviewer',
      bar_raiser: 'Bar Raiser',
      candidate: 'Candidate',
      observer: 'Observer',
      peer: 'Peer',
      unknown: 'Guest',
    } as const
  )[role];
}
