/** English strings of the bug tracker's admin pieces, spread into en.ts (keys are checked there). */
export const bugadminEn = {
  'bugadmin.sigAssignee.title': 'Default bug assignee',
  'bugadmin.sigAssignee.help':
    'New bugs filed against this SIG’s packages are assigned to this member. Without one they stay unassigned until someone takes them.',
  'bugadmin.sigAssignee.label': 'Assignee',
  'bugadmin.sigAssignee.none': 'Nobody (leave new bugs unassigned)',
  'bugadmin.sigAssignee.submit': 'Save assignee',
  'bugadmin.sigAssignee.saved': 'New bugs now go to {username}.',
  'bugadmin.sigAssignee.cleared': 'New bugs are now left unassigned.',
};
