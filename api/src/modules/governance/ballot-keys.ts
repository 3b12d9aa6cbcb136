import { Inject, Injectable } from '@nestjs/common';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hmacHex, randomToken } from '../../common/crypto';
import { APP_CONFIG, type AppConfig } from '../../config/config';

/**
 * Turns (proposal, voter) into the ballot's primary key with an HMAC whose key lives outside the
 * database: the database can enforce one ballot per voter without holding who cast it.
 * BALLOT_KEY wins; otherwise a key is generated once into DATA_DIR/ballot.key, so restarts (and
 * the API and workers sharing DATA_DIR) agree — a changed key would let a voter cast a second
 * ballot in a running vote.
 */
@Injectable()
export class BallotKeys {
  private key: string | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private secret(): string {
    if (this.key) return this.key;
    if (this.config.ballotKey) return (this.key = this.config.ballotKey);
    const file = join(this.config.dataDir, 'ballot.key');
    try {
      this.key = readFileSync(file, 'utf8').trim();
    } catch {
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, randomToken(32), { mode: 0o600, flag: 'wx' });
      } catch {
        // another process created it first: use theirs
      }
      this.key = readFileSync(file, 'utf8').trim();
    }
    return this.key;
  }

  ballotKey(proposalId: number, userId: number): string {
    return hmacHex(this.secret(), `och-ballot:${proposalId}:${userId}`);
  }
}

/** What a voter keeps: a random secret. What is published: the receipt it yields. */
export const receiptFor = (secret: string, proposalId: number): string => hmacHex(secret, `och-receipt:${proposalId}`);

export const newBallotSecret = (): string => randomToken(18);
