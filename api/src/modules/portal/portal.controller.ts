import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/policy';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { decisionsAtom } from './decisions-feed';
import { PortalStatsView } from './portal.dto';
import { PortalService } from './portal.service';

@ApiTags('portal')
@Controller('api/v1')
export class PortalController {
  constructor(
    private readonly portal: PortalService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('portal/stats')
  @Public()
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOkResponse({ type: PortalStatsView, description: "The home page's live numbers and latest decisions" })
  stats(): Promise<PortalStatsView> {
    return this.portal.stats();
  }

  @Get('governance/decisions.atom')
  @Public()
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Atom feed of published governance decisions' })
  async decisions(@Res() res: Response): Promise<void> {
    const items = await this.portal.decisions(50);
    res.type('application/atom+xml; charset=utf-8');
    res.send(decisionsAtom(this.config.publicUrl, items));
  }
}
