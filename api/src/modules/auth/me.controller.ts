import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { Authenticated } from '../../common/policy';
import { CreatedTokenResponse, CreateTokenDto, TokenResponse } from '../tokens/tokens.dto';
import { TokensService } from '../tokens/tokens.service';
import { AuthService } from './auth.service';
import { ChangePasswordDto, MeResponse, UpdateMeDto } from './dto/auth.dto';
import { GiteeAccountService } from './gitee.service';

@ApiTags('me')
@ApiBearerAuth()
@ApiCookieAuth()
@Authenticated()
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly gitee: GiteeAccountService,
  ) {}

  @Get()
  @ApiOkResponse({ type: MeResponse })
  me(@Req() req: AuthedRequest): Promise<MeResponse> {
    return this.auth.me(req.actor as Actor, req.authUser);
  }

  @Patch()
  @ApiOkResponse({ type: MeResponse })
  update(@Req() req: AuthedRequest, @Body() dto: UpdateMeDto): Promise<MeResponse> {
    return this.auth.updateProfile(req.actor as Actor, dto);
  }

  @Post('password')
  @ApiNoContentResponse()
  @HttpCode(204)
  async changePassword(@Req() req: AuthedRequest, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(
      req.actor as Actor,
      dto.currentPassword,
      dto.newPassword,
      req.authSession?.id ?? null,
      requestMeta(req),
    );
  }

  @Delete('gitee')
  @ApiNoContentResponse()
  @HttpCode(204)
  async unlinkGitee(@Req() req: AuthedRequest): Promise<void> {
    await this.gitee.unlink(req.actor as Actor, requestMeta(req));
  }

  @Get('tokens')
  @ApiOkResponse({ type: [TokenResponse] })
  listTokens(@Req() req: AuthedRequest): Promise<TokenResponse[]> {
    return this.tokens.list(req.actor as Actor);
  }

  @Post('tokens')
  @ApiCreatedResponse({ type: CreatedTokenResponse })
  @UseGuards(ThrottlerGuard)
  createToken(@Req() req: AuthedRequest, @Body() dto: CreateTokenDto): Promise<CreatedTokenResponse> {
    return this.tokens.create(req.actor as Actor, dto.name, dto.expiresInDays, requestMeta(req));
  }

  @Delete('tokens/:id')
  @ApiNoContentResponse()
  @HttpCode(204)
  async revokeToken(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<void> {
    await this.tokens.revoke(req.actor as Actor, id, requestMeta(req));
  }
}
