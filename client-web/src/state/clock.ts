// Estimates the offset between the server's clock and ours from ping/pong round trips
// (NTP-style: offset = serverTime - midpoint of the round trip). Keeps the last few samples
// and trusts the one with the shortest round trip, whose midpoint assumption errs least.

export interface ClockSample {
  offsetMs: number;
  rttMs: number;
}

export class ClockOffset {
  private samples: ClockSample[] = [];

  constructor(private readonly maxSamples = 8) {}

  /**
   * Records one round trip: we sent at `clientSendMs`, the server stamped `serverMs`,
   * we received the reply at `clientRecvMs` (all ms since the epoch, each on its own clock).
   */
  addSample(clientSendMs: number, serverMs: number, clientRecvMs: number): ClockSample {
    const rttMs = Math.max(0, clientRecvMs - clientSendMs);
    const offsetMs = serverMs - (clientSendMs + clientRecvMs) / 2;
    const s = { offsetMs, rttMs };
    this.samples.push(s);
    if (this.samples.length > this.maxSamples) this.samples.shift();
    return s;
  }

  /** Best estimate of server clock minus local clock, in ms (0 before any sample). */
  get offsetMs(): number {
    const best = this.best();
    return best ? best.offsetMs : 0;
  }

  /** Round trip of the sample the estimate is based on (Infinity before any sample). */
  get rttMs(): number {
    const best = this.best();
    return best ? best.rttMs : Infinity;
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** The server's current time as we estimate it. */
  serverNow(localNowMs: number = Date.now()): number {
    return localNowMs + this.offsetMs;
  }

  private best(): ClockSample | undefined {
    let best: ClockSample | undefined;
    for (const s of this.samples) if (!best || s.rttMs < best.rttMs) best = s;
    return best;
  }
}
