import { Module } from '@nestjs/common';
import { BugsModule } from '../bugs/bugs.module';
import { SiteSearchController } from './site-search.controller';
import { SiteSearchService } from './site-search.service';

@Module({ imports: [BugsModule], controllers: [SiteSearchController], providers: [SiteSearchService] })
export class SiteSearchModule {}
