import { Module, OnModuleInit } from '@nestjs/common';
import { RoleResolver } from '../users/role-providers';
import { SigsModule } from '../sigs/sigs.module';
import { BallotKeys } from './ballot-keys';
import { BodiesService } from './bodies.service';
import { BodySlugPipe, ProposalKindPipe } from './body-slug.pipe';
import { GovLifecycleService } from './gov-lifecycle.service';
import { GovernanceRoleProvider } from './governance-role.provider';
import { GovernanceController } from './governance.controller';
import { ProposalsService } from './proposals.service';

@Module({
  imports: [SigsModule],
  controllers: [GovernanceController],
  providers: [
    BodiesService,
    ProposalsService,
    GovLifecycleService,
    BallotKeys,
    GovernanceRoleProvider,
    BodySlugPipe,
    ProposalKindPipe,
  ],
  exports: [GovLifecycleService, ProposalsService, BodiesService],
})
export class GovernanceModule implements OnModuleInit {
  constructor(
    private readonly roles: RoleResolver,
    private readonly provider: GovernanceRoleProvider,
  ) {}

  onModuleInit(): void {
    this.roles.register(this.provider);
  }
}
