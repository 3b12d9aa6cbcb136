/**
 * Bugs a commit message refers to, and whether it says it fixes them. Both patterns are
 * case-insensitive with the bug id in group 1 (SYNC_BUG_REF_PATTERN, SYNC_BUG_FIX_PATTERN).
 */
export function bugRefs(message: string, refPattern: string, fixPattern: string): Map<number, boolean> {
  const out = new Map<number, boolean>();
  const scan = (pattern: string, fixes: boolean) => {
    for (const m of message.matchAll(new RegExp(pattern, 'gi'))) {
      const id = Number(m[1]);
      if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) continue;
      out.set(id, (out.get(id) ?? false) || fixes);
    }
  };
  scan(fixPattern, true);
  scan(refPattern, false);
  return out;
}
