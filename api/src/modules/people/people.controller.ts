import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../../common/actor';
import { Public } from '../../common/policy';
import { UsernamePipe } from '../sigs/sig-access';
import { PersonView } from './people.dto';
import { PeopleService } from './people.service';

@ApiTags('people')
@Controller('api/v1/people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get(':username')
  @Public()
  @ApiOkResponse({ type: PersonView, description: "A person's public page (never their e-mail)" })
  get(@Req() req: AuthedRequest, @Param('username', UsernamePipe) username: string): Promise<PersonView> {
    return this.people.get(req.actor ?? null, username);
  }
}
