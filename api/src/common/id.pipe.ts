import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from './errors';

/** Path ids are positive 32-bit integers; anything else cannot name a row, so it is a 404. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{1,10}$/.test(value)) throw notFound('Resource');
    const n = Number(value);
    if (n < 1 || n > 2147483647) throw notFound('Resource');
    return n;
  }
}
