import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthedRequest, requestMeta } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { Public } from '../../common/policy';
import { AuthService } from './auth.service';
import { GiteeAccountService, GiteeProfile } from './gitee.service';
import { GiteeAuthGuard, GiteeEnabledGuard } from './guards';
import { SESSION_COOKIE, SessionService } from './session.service';

/**
 * Browser redirects, not JSON: start at /api/v1/auth/gitee, come back to the callback, land on a
 * page. Logged in → the Gitee account is linked; otherwise → login (or sign-up) with Gitee.
 */
@ApiExcludeController()
@Controller('api/v1/auth/gitee')
export class GiteeController {
  constructor(
    private readonly gitee: GiteeAccountService,
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Get()
  @Public()
  @UseGuards(GiteeEnabledGuard, GiteeAuthGuard)
  start(): void {
    // passport redirected to Gitee already
  }

  @Get('callback')
  @Public()
  @UseGuards(GiteeEnabledGuard, GiteeAuthGuard)
  async callback(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const profile = req.user as GiteeProfile | null;
    const target = req.actor ? '/profile' : '/login';
    if (!profile) return res.redirect(303, `${target}?error=gitee_failed`);
    const meta = requestMeta(req);
    try {
      if (req.actor) {
        await this.gitee.link(req.actor, profile, meta);
        return res.redirect(303, '/profile?linked=gitee');
      }
      const user = await this.gitee.loginOrCreate(profile, meta);
      const { token } = await this.auth.startSession(user, meta, 'gitee');
      res.cookie(SESSION_COOKIE, token, this.sessions.cookieOptions());
      return res.redirect(303, '/profile');
    } catch (err) {
      if (err instanceof DomainError) return res.redirect(303, `${target}?error=${encodeURIComponent(err.code)}`);
      throw err;
    }
  }
}
