import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { sha256Hex } from '../../common/crypto';
import { badRequest, conflict } from '../../common/errors';
import { APP_CONFIG, ConfigError, type AppConfig } from '../../config/config';
import { AuditService } from '../audit/audit.service';
import { ClaSignatureEntity } from './cla-signature.entity';
import { DEFAULT_CLA } from './default-cla';
import type { ClaPublicStatusView, ClaSignDto, ClaStatusView, ClaView } from './join.dto';

/**
 * The contributor licence agreement: one current text (CLA_FILE, or the bundled one) with a
 * version (CLA_VERSION) and its SHA-256. A person has signed when they accepted exactly this
 * version and text; a new version or a changed text asks again.
 */
@Injectable()
export class ClaService implements OnModuleInit {
  private text = DEFAULT_CLA;
  private sha = sha256Hex(DEFAULT_CLA);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    if (!this.config.claFile) return;
    try {
      this.text = readFileSync(this.config.claFile, 'utf8');
    } catch (err) {
      throw new ConfigError(`CLA_FILE cannot be read: ${(err as Error).message}`);
    }
    if (!this.text.trim()) throw new ConfigError('CLA_FILE is empty');
    this.sha = sha256Hex(this.text);
  }

  current(): ClaView {
    return { version: this.config.claVersion, sha256: this.sha, text: this.text };
  }

  async status(actor: Actor): Promise<ClaStatusView> {
    const rows = await this.dataSource
      .getRepository(ClaSignatureEntity)
      .find({ where: { userId: actor.id }, order: { signedAt: 'DESC', id: 'DESC' } });
    const current = rows.find((r) => this.isCurrent(r));
    const latest = current ?? rows[0];
    return {
      version: this.config.claVersion,
      sha256: this.sha,
      signed: !!current,
      signature: latest
        ? {
            version: latest.version,
            sha256: latest.textSha256,
            fullName: latest.fullName,
            signedAt: latest.signedAt.toISOString(),
          }
        : null,
    };
  }

  async sign(actor: Actor, dto: ClaSignDto, meta: RequestMeta): Promise<ClaStatusView> {
    if (!dto.agree) {
      throw badRequest('cla_not_agreed', 'Tick the box to accept the agreement.', [
        { field: 'agree', message: 'must be true' },
      ]);
    }
    // the text the person read must be the one in force: it may have changed while they read
    if (dto.version !== this.config.claVersion || dto.sha256 !== this.sha) {
      throw conflict('cla_changed', 'The agreement changed since you opened it. Please read the new text.');
    }
    await this.dataSource.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .insert()
        .into(ClaSignatureEntity)
        .values({ userId: actor.id, version: dto.version, textSha256: dto.sha256, fullName: dto.fullName })
        .orIgnore()
        .execute();
      if ((res.raw as unknown[]).length > 0) {
        await this.audit.record(m, {
          actorId: actor.id,
          action: 'cla.sign',
          targetType: 'cla',
          targetId: dto.version,
          details: { sha256: dto.sha256 },
          meta,
        });
      }
    });
    return this.status(actor);
  }

  /**
   * For CI bots: has the account linked to this Gitee login (or with this username) signed the
   * current agreement? Says nothing else about the person; an unknown login is simply "not signed",
   * so the answer does not reveal which logins have accounts beyond what people pages show.
   */
  async publicStatus(q: { gitee?: string; username?: string }): Promise<ClaPublicStatusView> {
    if (!q.gitee === !q.username) {
      throw badRequest('one_of_gitee_or_username', 'Give either gitee or username.', [
        { field: 'gitee', message: 'give gitee or username' },
      ]);
    }
    const where = q.gitee ? 'lower(u.gitee_login) = lower($3)' : 'lower(u.username) = lower($3)';
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM cla_signatures s JOIN users u ON u.id = s.user_id
        WHERE s.version = $1 AND s.text_sha256 = $2 AND u.disabled_at IS NULL AND ${where}`,
      [this.config.claVersion, this.sha, q.gitee ?? q.username],
    );
    return {
      ...(q.gitee ? { gitee: q.gitee } : { username: q.username }),
      signed: row.n > 0,
      version: this.config.claVersion,
      signUrl: `${this.config.publicUrl}/join`,
    };
  }

  /** Whether this account signed the agreement in force (public: people pages show it). */
  async hasSigned(userId: number): Promise<boolean> {
    return this.dataSource
      .getRepository(ClaSignatureEntity)
      .exists({ where: { userId, version: this.config.claVersion, textSha256: this.sha } });
  }

  private isCurrent(r: ClaSignatureEntity): boolean {
    return r.version === this.config.claVersion && r.textSha256 === this.sha;
  }
}
