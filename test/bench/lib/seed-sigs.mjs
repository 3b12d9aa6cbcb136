/**
 * The SIG benchmark data set from the SIGs issue: 100 SIGs, 2,000 packages and 10,000 users, with
 * 1 lead, 2 maintainers and 27 members per SIG. Plain SQL (generate_series) so it takes about a
 * second; run once per bench database, shared by the SIG scenarios.
 */
let seeded;

export function seedSigs(db) {
  seeded ??= (async () => {
    await db.query(`
      INSERT INTO users (username, email, locale, email_verified_at)
      SELECT 'benchuser' || g, 'benchuser' || g || '@bench.invalid', CASE WHEN g % 3 = 0 THEN 'zh-CN' ELSE 'en' END, now()
        FROM generate_series(1, 10000) g
      ON CONFLICT DO NOTHING`);
    await db.query(`
      INSERT INTO sigs (slug, name_zh, name_en, description, status, mailing_list, meeting_cadence, approved_at)
      SELECT 'sig-' || lpad(g::text, 3, '0'), '兴趣小组 ' || g, 'Special Interest Group ' || g,
             'Scope of SIG ' || g || E'.\n\nMeets and maintains its packages.', 'active',
             'sig-' || g || '@lists.opencloudos.org', 'biweekly', now()
        FROM generate_series(1, 100) g
      ON CONFLICT DO NOTHING`);
    await db.query(`
      INSERT INTO sig_memberships (sig_id, user_id, role)
      SELECT s.id, u.id, CASE WHEN k = 0 THEN 'lead' WHEN k < 3 THEN 'maintainer' ELSE 'member' END
        FROM sigs s
        CROSS JOIN generate_series(0, 29) k
        JOIN users u ON u.username = 'benchuser' || (((s.id * 97 + k * 331) % 10000) + 1)
       WHERE s.slug LIKE 'sig-%'
      ON CONFLICT DO NOTHING`);
    await db.query(`
      INSERT INTO packages (name, description, sig_id, branches)
      SELECT 'bench-pkg-' || g, 'Package ' || g, s.id, ARRAY['oc8', 'oc9']
        FROM generate_series(1, 2000) g
        JOIN sigs s ON s.slug = 'sig-' || lpad((((g - 1) % 100) + 1)::text, 3, '0')
      ON CONFLICT DO NOTHING`);
  })();
  return seeded;
}
