import { Module } from '@nestjs/common';
import { ClaService } from './cla.service';
import { FirstBugsService } from './first-bugs.service';
import { JoinController } from './join.controller';

@Module({ controllers: [JoinController], providers: [ClaService, FirstBugsService], exports: [ClaService] })
export class JoinModule {}
