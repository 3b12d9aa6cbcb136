import type { Locale } from '../users/user.entity';

/** Mail texts in both languages; the user's locale picks one. */
type Template = (p: Record<string, string>) => { subject: string; text: string };

const TEMPLATES: Record<string, Record<Locale, Template>> = {
  verify_email: {
    en: (p) => ({
      subject: 'Confirm your e-mail address for OpenCloudOS Hub',
      text: `Hello ${p.username},\n\nplease confirm your e-mail address by opening this link:\n\n${p.link}\n\nThe link is valid for 48 hours. If you did not register, ignore this mail.\n\n— OpenCloudOS Hub`,
    }),
    'zh-CN': (p) => ({
      subject: '请确认您在 OpenCloudOS Hub 的邮箱地址',
      text: `${p.username}，您好：\n\n请打开以下链接确认您的邮箱地址：\n\n${p.link}\n\n链接 48 小时内有效。如果您没有注册，请忽略本邮件。\n\n—— OpenCloudOS Hub`,
    }),
  },
  reset_password: {
    en: (p) => ({
      subject: 'Reset your OpenCloudOS Hub password',
      text: `Hello ${p.username},\n\nsomeone (hopefully you) asked to reset your password. Open this link to choose a new one:\n\n${p.link}\n\nThe link is valid for 1 hour. If it was not you, ignore this mail; your password stays as it is.\n\n— OpenCloudOS Hub`,
    }),
    'zh-CN': (p) => ({
      subject: '重置您的 OpenCloudOS Hub 密码',
      text: `${p.username}，您好：\n\n有人（希望是您本人）请求重置密码。请打开以下链接设置新密码：\n\n${p.link}\n\n链接 1 小时内有效。如果不是您本人操作，请忽略本邮件，您的密码不会改变。\n\n—— OpenCloudOS Hub`,
    }),
  },
  notification: {
    en: (p) => ({ subject: p.title, text: `${p.body}\n\n${p.link ?? ''}\n\n— OpenCloudOS Hub` }),
    'zh-CN': (p) => ({ subject: p.title, text: `${p.body}\n\n${p.link ?? ''}\n\n—— OpenCloudOS Hub` }),
  },
};

export function renderMail(
  name: keyof typeof TEMPLATES,
  locale: Locale,
  params: Record<string, string>,
): { subject: string; text: string } {
  const t = TEMPLATES[name];
  return (t[locale] ?? t.en)(params);
}
