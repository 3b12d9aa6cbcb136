import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../../common/errors';
import { BODY_SLUG } from './governance.entity';

@Injectable()
export class BodySlugPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!BODY_SLUG.test(value)) throw notFound('Governance body');
    return value;
  }
}
