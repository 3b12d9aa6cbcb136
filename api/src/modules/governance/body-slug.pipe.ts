import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../../common/errors';
import { BODY_SLUG, PROPOSAL_KINDS, type ProposalKind } from './governance.entity';

@Injectable()
export class BodySlugPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!BODY_SLUG.test(value)) throw notFound('Governance body');
    return value;
  }
}

@Injectable()
export class ProposalKindPipe implements PipeTransform<string, ProposalKind> {
  transform(value: string): ProposalKind {
    if (!(PROPOSAL_KINDS as readonly string[]).includes(value)) throw notFound('Kind of proposal');
    return value as ProposalKind;
  }
}
