import { ApiProperty } from '@nestjs/swagger';

export class PersonSigView {
  @ApiProperty() slug: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() nameZh: string;
  @ApiProperty({ enum: ['lead', 'maintainer', 'committer', 'member'] }) role: string;
}

export class PersonSeatView {
  @ApiProperty() body: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() nameZh: string;
  @ApiProperty({ type: String, nullable: true, enum: ['chair', 'vice_chair', 'secretary'] }) office: string | null;
  @ApiProperty() termEnd: string;
}

export class PersonBugView {
  @ApiProperty() id: number;
  @ApiProperty() summary: string;
  @ApiProperty() status: string;
  @ApiProperty() createdAt: string;
}

export class PersonCommentView {
  @ApiProperty() bugId: number;
  @ApiProperty() summary: string;
  @ApiProperty({ description: 'The first 200 characters' }) excerpt: string;
  @ApiProperty() createdAt: string;
}

export class PersonVoteView {
  @ApiProperty() proposalId: number;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'yes / no / abstain, or a ranking' }) vote: string;
  @ApiProperty() castAt: string;
}

export class PersonView {
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Linked Gitee account (its public login only)' })
  gitee: string | null;
  @ApiProperty({ description: 'Signed the contributor licence agreement in force' }) claSigned: boolean;
  @ApiProperty() joinedAt: string;
  @ApiProperty({ type: [PersonSigView] }) sigs: PersonSigView[];
  @ApiProperty({ type: [PersonSeatView], description: 'Current seats in governance bodies' }) seats: PersonSeatView[];
  @ApiProperty({ type: [PersonBugView], description: 'Bugs reported, newest first (those the viewer may see)' })
  bugs: PersonBugView[];
  @ApiProperty({ type: [PersonCommentView] }) comments: PersonCommentView[];
  @ApiProperty({ type: [PersonVoteView], description: 'Votes cast in roll-call votes (secret ballots never appear)' })
  votes: PersonVoteView[];
}
