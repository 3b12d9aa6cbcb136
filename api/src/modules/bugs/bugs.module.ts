import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AttachmentStorage, DiskAttachmentStorage } from './attachment-storage';
import { BugAttachmentsService } from './bug-attachments.service';
import { BugNotifier } from './bug-notifier';
import { BugProductsService } from './bug-products.service';
import { BugSearchService } from './bug-search.service';
import { BugFeedConfig } from './bug-feed';
import { AttachmentsController, BugProductsController, BugsController } from './bugs.controller';
import { BugsService } from './bugs.service';
import { SavedSearchesService } from './saved-searches.service';

@Module({
  controllers: [BugsController, AttachmentsController, BugProductsController],
  providers: [
    BugsService,
    BugSearchService,
    BugNotifier,
    BugProductsService,
    BugAttachmentsService,
    SavedSearchesService,
    { provide: AttachmentStorage, useClass: DiskAttachmentStorage },
    { provide: BugFeedConfig, useFactory: (c: AppConfig) => new BugFeedConfig(c.publicUrl), inject: [APP_CONFIG] },
  ],
  exports: [BugsService, BugSearchService, BugProductsService, BugAttachmentsService],
})
export class BugsModule {}
