import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../common/db-errors';
import type { Actor } from '../../common/actor';
import { conflict, notFound } from '../../common/errors';
import { SigEntity } from '../sigs/sig.entity';
import {
  BugMailPrefEntity,
  BUG_MAIL_EVENTS,
  BUG_MAIL_ROLES,
  BugSavedSearchEntity,
  SigBugWatcherEntity,
} from './bug-extras.entity';
import { badRequest } from '../../common/errors';
import type { Plain } from './bug-views';
import type { MailPrefsDto, MailPrefsView, SavedSearchInputDto, SavedSearchView, SigWatchView } from './dto/bugs.dto';

const view = (s: BugSavedSearchEntity): Plain<SavedSearchView> => ({
  id: s.id,
  name: s.name,
  query: s.query,
  sort: s.sort,
  shared: s.shared,
  watch: s.watch,
  owner: s.owner?.username ?? '',
});

/** Saved searches (private or shared, optionally watched) and the bug mail preference matrix. */
@Injectable()
export class SavedSearchesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The caller's own searches, then everyone's shared ones. */
  async list(actor: Actor | null): Promise<SavedSearchView[]> {
    const qb = this.dataSource
      .getRepository(BugSavedSearchEntity)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.owner', 'o')
      .where('s.shared');
    if (actor) qb.orWhere('s.owner_id = :me', { me: actor.id });
    const rows = await qb.orderBy('s.name', 'ASC').limit(200).getMany();
    return rows.map(view);
  }

  async create(actor: Actor, dto: SavedSearchInputDto): Promise<SavedSearchView> {
    const repo = this.dataSource.getRepository(BugSavedSearchEntity);
    const count = await repo.count({ where: { ownerId: actor.id } });
    if (count >= 100) throw conflict('too_many_saved_searches', 'You can keep at most 100 saved searches.');
    const row = repo.create({
      ownerId: actor.id,
      name: dto.name,
      query: dto.query,
      sort: dto.sort ?? 'updated',
      shared: dto.shared ?? false,
      watch: dto.watch ?? false,
    });
    try {
      await repo.insert(row);
    } catch (e) {
      if (isUniqueViolation(e))
        throw conflict('saved_search_exists', `You already have a saved search called "${dto.name}".`);
      throw e;
    }
    return { ...view(row), owner: actor.username };
  }

  async get(actor: Actor | null, id: number): Promise<SavedSearchView> {
    const row = await this.dataSource
      .getRepository(BugSavedSearchEntity)
      .findOne({ where: { id }, relations: { owner: true } });
    if (!row || (!row.shared && row.ownerId !== actor?.id)) throw notFound('Saved search');
    return view(row);
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const res = await this.dataSource.getRepository(BugSavedSearchEntity).delete({ id, ownerId: actor.id });
    if (!res.affected) throw notFound('Saved search');
  }

  /** Whether the caller follows every bug routed to this SIG. */
  async sigWatch(actor: Actor | null, slug: string): Promise<SigWatchView> {
    const sig = await this.dataSource.getRepository(SigEntity).findOne({ where: { slug } });
    if (!sig) throw notFound('SIG');
    const watchers = await this.dataSource.getRepository(SigBugWatcherEntity).count({ where: { sigId: sig.id } });
    const watching = actor
      ? await this.dataSource.getRepository(SigBugWatcherEntity).exists({ where: { sigId: sig.id, userId: actor.id } })
      : false;
    return { watching, watchers };
  }

  async setSigWatch(actor: Actor, slug: string, watching: boolean): Promise<SigWatchView> {
    const sig = await this.dataSource.getRepository(SigEntity).findOne({ where: { slug } });
    if (!sig) throw notFound('SIG');
    const repo = this.dataSource.getRepository(SigBugWatcherEntity);
    if (watching)
      await repo.createQueryBuilder().insert().values({ sigId: sig.id, userId: actor.id }).orIgnore().execute();
    else await repo.delete({ sigId: sig.id, userId: actor.id });
    return this.sigWatch(actor, slug);
  }

  async mailPrefs(actor: Actor): Promise<MailPrefsView> {
    const rows = await this.dataSource.getRepository(BugMailPrefEntity).find({ where: { userId: actor.id } });
    const off = new Set(rows.filter((r) => !r.enabled).map((r) => `${r.role}:${r.event}`));
    return {
      prefs: BUG_MAIL_ROLES.flatMap((role) =>
        BUG_MAIL_EVENTS.map((event) => ({ role, event, enabled: !off.has(`${role}:${event}`) })),
      ),
    };
  }

  async setMailPrefs(actor: Actor, dto: MailPrefsDto): Promise<MailPrefsView> {
    for (const p of dto.prefs) {
      if (
        !(BUG_MAIL_ROLES as readonly string[]).includes(p.role) ||
        !(BUG_MAIL_EVENTS as readonly string[]).includes(p.event)
      )
        throw badRequest('invalid_pref', `Unknown role/event ${p.role}/${p.event}.`, [
          {
            field: 'prefs',
            message: `role must be one of ${BUG_MAIL_ROLES.join(', ')}; event one of ${BUG_MAIL_EVENTS.join(', ')}`,
          },
        ]);
    }
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(BugMailPrefEntity);
      for (const p of dto.prefs) {
        if (p.enabled) await repo.delete({ userId: actor.id, role: p.role, event: p.event });
        else
          await repo.upsert({ userId: actor.id, role: p.role, event: p.event, enabled: false }, [
            'userId',
            'role',
            'event',
          ]);
      }
    });
    return this.mailPrefs(actor);
  }
}
