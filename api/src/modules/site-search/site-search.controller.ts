import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../../common/actor';
import { Public } from '../../common/policy';
import { SiteSearchQueryDto, SiteSearchResult } from './site-search.dto';
import { SiteSearchService } from './site-search.service';

@ApiTags('search')
@Controller('api/v1/search')
export class SiteSearchController {
  constructor(private readonly search: SiteSearchService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: SiteSearchResult, description: 'Bugs, packages, SIGs and proposals matching the words' })
  find(@Req() req: AuthedRequest, @Query() q: SiteSearchQueryDto): Promise<SiteSearchResult> {
    return this.search.search(req.actor ?? null, q);
  }
}
