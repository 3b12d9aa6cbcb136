import { Module } from '@nestjs/common';
import { BugsModule } from '../bugs/bugs.module';
import { AdminContentController, ContentController } from './content.controller';
import { ContentService } from './content.service';

/** Release pages, news and plain pages of the portal. */
@Module({
  imports: [BugsModule],
  controllers: [ContentController, AdminContentController],
  providers: [ContentService],
  exports: [ContentService],
})
export class ContentModule {}
