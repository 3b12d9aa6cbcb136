import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthedRequest } from '../../common/actor';
import { CursorQueryDto } from '../../common/pagination';
import { Authenticated } from '../../common/policy';
import { NotificationsService } from './notifications.service';

export class NotificationView {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, nullable: true }) link: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView] }) items: NotificationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ description: 'Unread notifications in total' }) unread: number;
}

@ApiTags('notifications')
@Authenticated()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPage })
  list(@Req() req: AuthedRequest, @Query() q: CursorQueryDto): Promise<NotificationPage> {
    return this.notifications.list(req.actor as Actor, q.limit ?? 25, q.cursor);
  }

  @Post('read-all')
  @ApiNoContentResponse()
  @HttpCode(204)
  async readAll(@Req() req: AuthedRequest): Promise<void> {
    await this.notifications.markAllRead(req.actor as Actor);
  }

  @Post(':id/read')
  @ApiNoContentResponse()
  @HttpCode(204)
  async read(@Req() req: AuthedRequest, @Param('id') id: string): Promise<void> {
    await this.notifications.markRead(req.actor as Actor, id);
  }
}
