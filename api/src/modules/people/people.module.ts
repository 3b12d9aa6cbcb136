import { Module } from '@nestjs/common';
import { JoinModule } from '../join/join.module';
import { UsernamePipe } from '../sigs/sig-access';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';

@Module({ imports: [JoinModule], controllers: [PeopleController], providers: [PeopleService, UsernamePipe] })
export class PeopleModule {}
