import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { CursorQueryDto } from '../../common/pagination';
import { Authenticated, Public, RequireRole } from '../../common/policy';
import { SlugPipe } from '../sigs/sig-access';
import {
  CreatePackageDto,
  PackageDetailView,
  PackageListQueryDto,
  PackagePage,
  TransferPage,
  TransferQueryDto,
  TransferRequestDto,
  TransferView,
  UpdatePackageDto,
} from './dto/packages.dto';
import { PackageNamePipe, PackagesService } from './packages.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

@ApiTags('packages')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/packages')
export class PackagesController {
  constructor(private readonly packages: PackagesService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: PackagePage })
  list(@Query() q: PackageListQueryDto): Promise<PackagePage> {
    return this.packages.list(q);
  }

  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({ type: PackageDetailView })
  create(@Req() req: AuthedRequest, @Body() dto: CreatePackageDto): Promise<PackageDetailView> {
    return this.packages.create(actorOf(req), dto, requestMeta(req));
  }

  @Get(':name')
  @Public()
  @ApiOkResponse({ type: PackageDetailView })
  get(@Param('name', PackageNamePipe) name: string): Promise<PackageDetailView> {
    return this.packages.get(name);
  }

  @Patch(':name')
  @Authenticated()
  @ApiOkResponse({
    type: PackageDetailView,
    description: "Admins, the TOC, and the owning SIG's leads and maintainers",
  })
  update(
    @Req() req: AuthedRequest,
    @Param('name', PackageNamePipe) name: string,
    @Body() dto: UpdatePackageDto,
  ): Promise<PackageDetailView> {
    return this.packages.update(actorOf(req), name, dto);
  }

  @Delete(':name')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Req() req: AuthedRequest, @Param('name', PackageNamePipe) name: string): Promise<void> {
    await this.packages.remove(actorOf(req), name, requestMeta(req));
  }

  @Get(':name/transfers')
  @Public()
  @ApiOkResponse({ type: TransferPage, description: 'Ownership history, newest first' })
  transfers(@Param('name', PackageNamePipe) name: string, @Query() q: CursorQueryDto): Promise<TransferPage> {
    return this.packages.transfersOfPackage(name, q);
  }

  @Post(':name/transfers')
  @Authenticated()
  @ApiCreatedResponse({ type: TransferView, description: "The requester's own side counts as approved" })
  requestTransfer(
    @Req() req: AuthedRequest,
    @Param('name', PackageNamePipe) name: string,
    @Body() dto: TransferRequestDto,
  ): Promise<TransferView> {
    return this.packages.requestTransfer(actorOf(req), name, dto, requestMeta(req));
  }

  @Post(':name/transfers/:id/approve')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: TransferView })
  approve(
    @Req() req: AuthedRequest,
    @Param('name', PackageNamePipe) name: string,
    @Param('id', IdPipe) id: number,
  ): Promise<TransferView> {
    return this.packages.approveTransfer(actorOf(req), name, id, requestMeta(req));
  }

  @Post(':name/transfers/:id/reject')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: TransferView })
  reject(
    @Req() req: AuthedRequest,
    @Param('name', PackageNamePipe) name: string,
    @Param('id', IdPipe) id: number,
  ): Promise<TransferView> {
    return this.packages.closeTransfer(actorOf(req), name, id, 'rejected', requestMeta(req));
  }

  @Post(':name/transfers/:id/cancel')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: TransferView })
  cancel(
    @Req() req: AuthedRequest,
    @Param('name', PackageNamePipe) name: string,
    @Param('id', IdPipe) id: number,
  ): Promise<TransferView> {
    return this.packages.closeTransfer(actorOf(req), name, id, 'cancelled', requestMeta(req));
  }
}

/** A SIG's packages and transfers, next to the SIG's other routes. */
@ApiTags('packages')
@Controller('api/v1/sigs')
export class SigPackagesController {
  constructor(private readonly packages: PackagesService) {}

  @Get(':slug/packages')
  @Public()
  @ApiOkResponse({ type: PackagePage })
  packagesOf(@Param('slug', SlugPipe) slug: string, @Query() q: CursorQueryDto): Promise<PackagePage> {
    return this.packages.list({ limit: q.limit, cursor: q.cursor, sig: slug });
  }

  @Get(':slug/transfers')
  @Public()
  @ApiOkResponse({ type: TransferPage, description: 'Transfers into or out of the SIG, newest first' })
  transfersOf(@Param('slug', SlugPipe) slug: string, @Query() q: TransferQueryDto): Promise<TransferPage> {
    return this.packages.transfersOfSig(slug, q);
  }
}
