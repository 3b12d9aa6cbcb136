import { Module } from '@nestjs/common';
import { DownloadController } from './download.controller';
import { DownloadFastPath } from './download-fast-path';
import { MirrorDirectory } from './mirror-directory.service';
import { ClientCountry } from './mirror-geoip';
import { MirrorProbeService } from './mirror-probe.service';
import { AdminMirrorsController, MirrorsController } from './mirrors.controller';
import { MirrorsService } from './mirrors.service';
import { ReleaseImportService } from './release-import.service';
import { AdminReleasesController, ReleasesController } from './releases.controller';
import { ReleasesService } from './releases.service';

@Module({
  controllers: [
    MirrorsController,
    AdminMirrorsController,
    ReleasesController,
    AdminReleasesController,
    DownloadController,
  ],
  providers: [
    DownloadFastPath,
    ClientCountry,
    MirrorsService,
    ReleasesService,
    MirrorDirectory,
    MirrorProbeService,
    ReleaseImportService,
  ],
  exports: [MirrorProbeService, ReleaseImportService],
})
export class MirrorsModule {}
