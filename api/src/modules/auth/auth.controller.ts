import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { type AuthedRequest, requestMeta } from '../../common/actor';
import { Public } from '../../common/policy';
import type { UserEntity } from '../users/user.entity';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator.service';
import {
  EmailDto,
  LoginDto,
  LoginResponse,
  ProvidersResponse,
  RegisterDto,
  RegisteredResponse,
  ResetPasswordDto,
  SessionResponse,
  TokenDto,
  VerifiedResponse,
} from './dto/auth.dto';
import { GiteeAccountService } from './gitee.service';
import { LocalAuthGuard } from './guards';
import { SESSION_COOKIE, SessionService } from './session.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly authenticator: Authenticator,
    private readonly gitee: GiteeAccountService,
  ) {}

  @Post('register')
  @ApiCreatedResponse({ type: RegisteredResponse })
  @Public()
  @UseGuards(ThrottlerGuard)
  register(@Body() dto: RegisterDto, @Req() req: AuthedRequest): Promise<RegisteredResponse> {
    return this.auth.register(dto, requestMeta(req));
  }

  @Post('verify-email')
  @ApiOkResponse({ type: VerifiedResponse })
  @Public()
  @HttpCode(200)
  async verifyEmail(@Body() dto: TokenDto, @Req() req: AuthedRequest): Promise<VerifiedResponse> {
    await this.auth.verifyEmail(dto.token, requestMeta(req));
    return { verified: true };
  }

  @Post('resend-verification')
  @ApiAcceptedResponse()
  @Public()
  @HttpCode(202)
  @UseGuards(ThrottlerGuard)
  async resend(@Body() dto: EmailDto): Promise<void> {
    await this.auth.resendVerification(dto.email);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard, LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: LoginResponse })
  async login(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<LoginResponse> {
    const user = req.user as UserEntity;
    const { token, csrfToken } = await this.auth.startSession(user, requestMeta(req), 'password');
    res.cookie(SESSION_COOKIE, token, this.sessions.cookieOptions());
    const actor = await this.authenticator.toActor(user);
    return { user: this.auth.toMe(user, actor.roles), csrfToken };
  }

  @Post('logout')
  @ApiNoContentResponse()
  @Public()
  @HttpCode(204)
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (req.actor && req.authSession) await this.auth.logout(req.actor, req.authSession.id, requestMeta(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Post('password/forgot')
  @ApiAcceptedResponse()
  @Public()
  @HttpCode(202)
  @UseGuards(ThrottlerGuard)
  async forgot(@Body() dto: EmailDto, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.forgotPassword(dto.email, requestMeta(req));
  }

  @Post('password/reset')
  @ApiNoContentResponse()
  @Public()
  @HttpCode(204)
  @UseGuards(ThrottlerGuard)
  async reset(@Body() dto: ResetPasswordDto, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.resetPassword(dto.token, dto.password, requestMeta(req));
  }

  @Get('session')
  @ApiOkResponse({ type: SessionResponse })
  @Public()
  async session(@Req() req: AuthedRequest): Promise<SessionResponse> {
    if (!req.actor) return { user: null, csrfToken: null };
    return { user: await this.auth.me(req.actor, req.authUser), csrfToken: req.authSession?.csrfToken ?? null };
  }

  @Get('providers')
  @ApiOkResponse({ type: ProvidersResponse })
  @Public()
  providers(): ProvidersResponse {
    return { gitee: this.gitee.enabled };
  }
}
