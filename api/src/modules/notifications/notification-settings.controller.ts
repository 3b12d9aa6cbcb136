import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, ValidateNested } from 'class-validator';
import type { Actor, AuthedRequest } from '../../common/actor';
import { Authenticated } from '../../common/policy';
import {
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_MODES,
  type NotificationCategory,
  type NotificationMode,
} from './notification-categories';
import { NotificationsService } from './notifications.service';

export class NotificationSettingDto {
  @ApiProperty({ enum: NOTIFICATION_CATEGORIES })
  @IsIn(NOTIFICATION_CATEGORIES)
  category: NotificationCategory;

  @ApiProperty({ enum: NOTIFICATION_MODES, description: 'email: in the app and by mail; web: in the app only; off' })
  @IsIn(NOTIFICATION_MODES)
  mode: NotificationMode;
}

export class NotificationSettingsDto {
  @ApiProperty({ type: [NotificationSettingDto] })
  @IsArray()
  @ArrayMaxSize(NOTIFICATION_CATEGORIES.length)
  @ValidateNested({ each: true })
  @Type(() => NotificationSettingDto)
  settings: NotificationSettingDto[];
}

export class NotificationSettingsView {
  @ApiProperty({ type: [NotificationSettingDto], description: 'Every category, with the default (email) where unset' })
  settings: NotificationSettingDto[];
}

/** What the person hears about beyond bugs (governance, SIGs, programme, council membership…). */
@ApiTags('notifications')
@Authenticated()
@Controller('api/v1/me/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationSettingsView })
  async get(@Req() req: AuthedRequest): Promise<NotificationSettingsView> {
    return { settings: await this.notifications.settings(req.actor as Actor) };
  }

  @Put()
  @ApiOkResponse({ type: NotificationSettingsView })
  async put(@Req() req: AuthedRequest, @Body() dto: NotificationSettingsDto): Promise<NotificationSettingsView> {
    return { settings: await this.notifications.saveSettings(req.actor as Actor, dto.settings) };
  }
}
