import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../../config/config';
import type { MailSendPayload } from '../../queue/jobs';

/** SMTP through nodemailer. Only the mail job calls it; requests never send mail inline. */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private transporter: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get transport(): Transporter {
    this.transporter ??= createTransport(this.config.smtpUrl, { from: this.config.mailFrom });
    return this.transporter;
  }

  async send(mail: MailSendPayload): Promise<string> {
    const info = (await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'X-OpenCloudOS-Hub': '1', ...(mail.headers ?? {}) },
    })) as { messageId: string };
    return info.messageId;
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }
}
