import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/actor';
import { badRequest, DomainError, forbidden, notFound } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { bugViewer } from './bug-access';
import { nextCommentCount } from './bug-derived';
import { BugCommentEntity } from './bug-comment.entity';
import { BugAttachmentEntity } from './bug-extras.entity';
import { BugHistoryEntity } from './bug.entity';
import { AttachmentStorage } from './attachment-storage';
import { BugsService } from './bugs.service';
import type { AttachmentView, CreateAttachmentDto } from './dto/bugs.dto';

export const attachmentView = (a: BugAttachmentEntity): AttachmentView => ({
  id: a.id,
  bugId: a.bugId,
  filename: a.filename,
  contentType: a.contentType,
  size: a.size,
  sha256: a.sha256,
  description: a.description,
  isPatch: a.isPatch,
  isPrivate: a.isPrivate,
  isObsolete: a.isObsolete,
  creator: a.creator?.username ?? '',
  createdAt: a.createdAt,
});

/**
 * Attachments: bytes in storage, metadata in the database. Downloads are always served as
 * attachments with nosniff (see the controller): a hostile HTML or SVG file never renders inline.
 */
@Injectable()
export class BugAttachmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bugs: BugsService,
    private readonly storage: AttachmentStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, bugId: number, dto: CreateAttachmentDto): Promise<AttachmentView> {
    const viewer = bugViewer(actor);
    await this.bugs.findVisible(this.dataSource.manager, viewer, bugId);
    if (dto.isPrivate && !viewer.seesAllPrivate)
      throw forbidden('private_comment_forbidden', 'Only the security team may add private attachments.');
    const data = Buffer.from(dto.data, 'base64');
    if (data.length > this.config.attachmentMaxBytes)
      throw new DomainError(
        'payload_too_large',
        'attachment_too_large',
        `Attachments may be at most ${this.config.attachmentMaxBytes} bytes.`,
      );
    if (!data.length)
      throw badRequest('attachment_empty', 'The attachment is empty.', [{ field: 'data', message: 'empty' }]);
    const stored = await this.storage.put(data);
    try {
      const id = await this.dataSource.transaction(async (m) => {
        await this.bugs.findVisible(m, viewer, bugId, true);
        const repo = m.getRepository(BugAttachmentEntity);
        const row = repo.create({
          bugId,
          filename: dto.filename,
          contentType: dto.contentType.toLowerCase(),
          size: data.length,
          sha256: stored.sha256,
          storageKey: stored.key,
          description: dto.description ?? '',
          isPatch: dto.isPatch ?? false,
          isPrivate: dto.isPrivate ?? false,
          creatorId: actor.id,
        });
        await repo.insert(row);
        const next = await nextCommentCount(m, bugId);
        await m.getRepository(BugCommentEntity).insert({
          bugId,
          count: next,
          authorId: actor.id,
          body: `Created attachment ${row.id}: ${dto.filename}${dto.description ? ` — ${dto.description}` : ''}${dto.comment ? `\n\n${dto.comment}` : ''}`,
          isPrivate: row.isPrivate,
          attachmentId: row.id,
        });
        await m.getRepository(BugHistoryEntity).insert({
          bugId,
          actorId: actor.id,
          field: 'attachments.created',
          removed: '',
          added: String(row.id),
          isPrivate: row.isPrivate,
        });
        await m.query(`UPDATE bugs SET updated_at = now() WHERE id = $1`, [bugId]);
        await this.bugs.refresh(m, [bugId], !row.isPrivate);
        return row.id;
      });
      return await this.meta(actor, id);
    } catch (e) {
      await this.storage.remove(stored.key);
      throw e;
    }
  }

  private async load(actor: Actor | null, id: number): Promise<BugAttachmentEntity> {
    const viewer = bugViewer(actor);
    const row = await this.dataSource
      .getRepository(BugAttachmentEntity)
      .findOne({ where: { id }, relations: { creator: true } });
    if (!row || (row.isPrivate && !viewer.seesAllPrivate)) throw notFound('Attachment');
    await this.bugs.findVisible(this.dataSource.manager, viewer, row.bugId).catch(() => {
      throw notFound('Attachment');
    });
    return row;
  }

  async meta(actor: Actor | null, id: number): Promise<AttachmentView> {
    return attachmentView(await this.load(actor, id));
  }

  async list(actor: Actor | null, bugId: number): Promise<BugAttachmentEntity[]> {
    const viewer = bugViewer(actor);
    await this.bugs.findVisible(this.dataSource.manager, viewer, bugId);
    return this.dataSource.getRepository(BugAttachmentEntity).find({
      where: viewer.seesAllPrivate ? { bugId } : { bugId, isPrivate: false },
      relations: { creator: true },
      order: { id: 'ASC' },
    });
  }

  async content(actor: Actor | null, id: number): Promise<{ meta: BugAttachmentEntity; data: Buffer }> {
    const meta = await this.load(actor, id);
    return { meta, data: await this.storage.get(meta.storageKey) };
  }
}
