import { ApiProperty } from '@nestjs/swagger';

export class DecisionView {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty() kind: string;
  @ApiProperty({ enum: ['passed', 'failed', 'no_quorum'] }) outcome: string;
  @ApiProperty() closedAt: string;
}

export class PortalStatsView {
  @ApiProperty({ description: 'Packages the distribution ships' }) packages: number;
  @ApiProperty({ description: 'Active SIGs' }) sigs: number;
  @ApiProperty({ description: 'Open public bugs' }) openBugs: number;
  @ApiProperty({ description: 'Proposals being voted on' }) openVotes: number;
  @ApiProperty({ description: 'Active mirrors in step with the master' }) upToDateMirrors: number;
  @ApiProperty({ type: [DecisionView], description: 'The latest closed votes' }) decisions: DecisionView[];
}
