import type { bugadminEn } from './bugadmin.en';

/** 缺陷跟踪管理部分的简体中文文案，展开到 zh-cn.ts。 */
export const bugadminZhCN: Record<keyof typeof bugadminEn, string> = {
  'bugadmin.sigAssignee.title': '缺陷默认指派人',
  'bugadmin.sigAssignee.help':
    '针对本 SIG 软件包新提交的缺陷会指派给这位成员；不设置时，新缺陷保持未指派，直到有人认领。',
  'bugadmin.sigAssignee.label': '指派人',
  'bugadmin.sigAssignee.none': '无（新缺陷保持未指派）',
  'bugadmin.sigAssignee.submit': '保存指派人',
  'bugadmin.sigAssignee.saved': '新缺陷现在会指派给 {username}。',
  'bugadmin.sigAssignee.cleared': '新缺陷现在保持未指派。',
};
