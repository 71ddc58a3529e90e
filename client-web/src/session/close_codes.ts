// The server's WebSocket close codes, as its error table (server/common/error.cpp) sends
// them on /session and /yjs: a refusal the client can act on closes with 4000 + the HTTP
// status. The client decides from the code alone; reasons are for people, never parsed.

export const CloseCode = {
  invalidArgument: 4400, // e.g. a document name that is too long
  unauthenticated: 4401, // missing, unknown, revoked or expired invite
  forbidden: 4403, // the invite does not open this room or document
  notFound: 4404, // no such loop, round or document
  rateLimited: 4429, // too many updates: reconnect later
  tryAgainLater: 1013, // server busy
} as const;

/** Close codes after which reconnecting with the same token cannot help. */
export function isFatalClose(code: number): boolean {
  return (
    code === CloseCode.invalidArgument ||
    code === CloseCode.unauthenticated ||
    code === CloseCode.forbidden ||
    code === CloseCode.notFound
  );
}

/** What to tell the user after a fatal close. */
export function refusalMessage(code: number, reason = ''): string {
  switch (code) {
    case CloseCode.unauthenticated:
      return 'This invite link is invalid, has expired or has been revoked. Ask the host for a new link.';
    case CloseCode.forbidden:
      return 'This link does not give access to this room.';
    case CloseCode.notFound:
      return 'This loop or round no longer exists.';
    default:
      return reason ? `The server refused the connection: ${reason}` : 'The server refused the connection.';
  }
}
