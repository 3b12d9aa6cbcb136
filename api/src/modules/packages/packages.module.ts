import { Module } from '@nestjs/common';
import { PackagesController, SigPackagesController } from './packages.controller';
import { PackageNamePipe, PackagesService } from './packages.service';

@Module({
  controllers: [PackagesController, SigPackagesController],
  providers: [PackagesService, PackageNamePipe],
  exports: [PackagesService],
})
export class PackagesModule {}
