import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor';
import type { PolicyHandler } from '../../common/policy';
import { isToc } from './sig-access';

/** Admins, and the TOC once it exists (`toc` site role or `body:toc:member`). */
@Injectable()
export class TocPolicy implements PolicyHandler {
  can(actor: Actor | null): boolean {
    return isToc(actor);
  }
}
