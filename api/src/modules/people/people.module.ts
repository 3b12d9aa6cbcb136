import { Module } from '@nestjs/common';
import { UsernamePipe } from '../sigs/sig-access';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';

@Module({ controllers: [PeopleController], providers: [PeopleService, UsernamePipe] })
export class PeopleModule {}
