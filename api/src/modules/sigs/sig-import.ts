import * as yaml from 'js-yaml';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { PackageTransferEntity } from '../packages/package-transfer.entity';
import { PACKAGE_NAME, PackageEntity } from '../packages/package.entity';
import { UserEntity } from '../users/user.entity';
import { ACTIVE_MEMBERSHIP, recordActivity } from './sig-access';
import { SIG_ROLE_RANK, SigMembershipEntity } from './sig-membership.entity';
import { MEETING_CADENCES, SIG_SLUG, SigEntity, type MeetingCadence } from './sig.entity';

/**
 * Import and export of SIG data in the community's file formats:
 *
 * - openEuler-style `sig-info.yaml`, one per SIG: `name`, `description`, `mailing_list`,
 *   `meeting_url`, `maintainers: [{gitee_id, name, email, organization}]`, `repositories: [name]`
 *   (items may also be `{repo: name | [names]}` with `org/name` paths). OpenCloudOS Hub adds the
 *   optional keys `name_zh`, `name_en`, `chat`, `meeting_cadence` and `sub_projects`.
 * - OpenCloudOS `packages.yaml` (rpm_info): `sigs: [{name, intro, reviewers: [gitee ids],
 *   packages: [names]}]`. It is the full ownership list: when one is imported, every package in
 *   the Hub must appear in it.
 *
 * Importing first plans (validates everything and computes the diff), then applies the plan in the
 * same transaction. Any problem (unknown key, a package claimed by two SIGs, a package left with
 * no SIG …) means nothing is applied. Applying the same files twice changes nothing the second time.
 */

export interface ImportFile {
  name: string;
  content: string;
}
export interface ImportProblem {
  file: string;
  path: string;
  message: string;
}
export interface ImportChange {
  kind: 'sig.create' | 'sig.update' | 'member.add' | 'member.promote' | 'package.create' | 'package.move';
  target: string;
  details: Record<string, unknown>;
}
export interface ImportReport {
  dryRun: boolean;
  applied: boolean;
  valid: boolean;
  problems: ImportProblem[];
  warnings: ImportProblem[];
  changes: ImportChange[];
  summary: { sigs: number; packages: number; changes: number };
}

interface Maintainer {
  giteeId: string;
  name?: string;
  email?: string;
  file: string;
  path: string;
}
interface DesiredSig {
  slug: string;
  file: string;
  fields: Partial<
    Pick<
      SigEntity,
      'nameZh' | 'nameEn' | 'description' | 'mailingList' | 'meetingUrl' | 'chat' | 'meetingCadence' | 'subProjects'
    >
  > & { reviewers?: string[] };
  intro?: string;
  /** The name as written in the file: the English name of a SIG the import creates. */
  rawName?: string;
  /** Set once a sig-info.yaml describes this SIG. */
  described?: boolean;
  maintainers: Maintainer[];
  packages: Map<string, { file: string; path: string }>;
}

const SIG_INFO_KEYS = [
  'name',
  'name_zh',
  'name_en',
  'description',
  'mailing_list',
  'meeting_url',
  'meeting_cadence',
  'chat',
  'sub_projects',
  'maintainers',
  'repositories',
];
const MAINTAINER_KEYS = ['gitee_id', 'name', 'email', 'organization'];
const PACKAGES_SIG_KEYS = ['name', 'intro', 'reviewers', 'packages'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `Security response` → `security-response`. */
export const slugFromName = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

class Parser {
  readonly problems: ImportProblem[] = [];
  readonly warnings: ImportProblem[] = [];
  readonly sigs = new Map<string, DesiredSig>();
  /** The packages.yaml seen, if any: it must list every package. */
  packagesListFile: string | null = null;

  problem(file: string, path: string, message: string): void {
    this.problems.push({ file, path, message });
  }

  private sig(slug: string, file: string): DesiredSig {
    let s = this.sigs.get(slug);
    if (!s) {
      s = { slug, file, fields: {}, maintainers: [], packages: new Map() };
      this.sigs.set(slug, s);
    }
    return s;
  }

  private unknownKeys(file: string, path: string, obj: Record<string, unknown>, allowed: string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.problem(file, path ? `${path}.${key}` : key, `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
      }
    }
  }

  private str(file: string, path: string, v: unknown, max: number): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.problem(file, path, 'must be a string');
      return undefined;
    }
    const s = String(v).trim();
    if (s.length > max) {
      this.problem(file, path, `must be at most ${max} characters`);
      return undefined;
    }
    return s;
  }

  private strings(file: string, path: string, v: unknown, max: number): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.problem(file, path, 'must be a list');
      return undefined;
    }
    const out: string[] = [];
    v.forEach((item, i) => {
      const s = this.str(file, `${path}[${i}]`, item, max);
      if (s) out.push(s);
    });
    return out;
  }

  private slugOf(file: string, path: string, v: unknown): string | null {
    const name = this.str(file, path, v, 100);
    if (!name) {
      this.problem(file, path, 'a SIG name is required');
      return null;
    }
    const slug = slugFromName(name);
    if (!SIG_SLUG.test(slug)) {
      this.problem(file, path, `"${name}" does not make a valid SIG slug (a-z, 0-9 and -, 2–48 characters)`);
      return null;
    }
    return slug;
  }

  private addPackage(sig: DesiredSig, file: string, path: string, raw: string): void {
    const name = raw.includes('/') ? raw.slice(raw.lastIndexOf('/') + 1) : raw;
    if (!PACKAGE_NAME.test(name)) {
      this.problem(file, path, `"${raw}" is not a valid package (repository) name`);
      return;
    }
    for (const other of this.sigs.values()) {
      const there = other.packages.get(name);
      if (other !== sig && there) {
        this.problem(
          file,
          path,
          `package "${name}" is listed by two SIGs: "${other.slug}" (${there.file} ${there.path}) and "${sig.slug}"`,
        );
        return;
      }
    }
    if (!sig.packages.has(name)) sig.packages.set(name, { file, path });
  }

  parseFile(f: ImportFile): void {
    let docs: unknown[];
    try {
      docs = yaml.loadAll(f.content, undefined, { schema: yaml.CORE_SCHEMA, filename: f.name });
    } catch (err) {
      const e = err as yaml.YAMLException;
      this.problem(f.name, e.mark ? `line ${e.mark.line + 1}` : '', `not valid YAML: ${e.reason || e.message}`);
      return;
    }
    docs.forEach((doc, i) => {
      const file = docs.length > 1 ? `${f.name}#${i + 1}` : f.name;
      if (doc === null || doc === undefined) return;
      if (!isRecord(doc)) {
        this.problem(file, '', 'must be a mapping (sig-info.yaml or packages.yaml)');
      } else if ('sigs' in doc) {
        this.parsePackagesYaml(file, doc);
      } else if ('name' in doc) {
        this.parseSigInfo(file, doc);
      } else {
        this.problem(file, '', 'neither a sig-info.yaml (has "name") nor a packages.yaml (has "sigs")');
      }
    });
  }

  private parseSigInfo(file: string, doc: Record<string, unknown>): void {
    this.unknownKeys(file, '', doc, SIG_INFO_KEYS);
    const slug = this.slugOf(file, 'name', doc.name);
    if (!slug) return;
    const existing = this.sigs.get(slug);
    if (existing?.described) {
      this.problem(file, 'name', `SIG "${slug}" is described twice (also in ${existing.file})`);
      return;
    }
    const sig = this.sig(slug, file);
    sig.described = true;
    sig.rawName = this.str(file, 'name', doc.name, 100);
    const f = sig.fields;
    const en = this.str(file, 'name_en', doc.name_en, 100);
    if (en) f.nameEn = en;
    const zh = this.str(file, 'name_zh', doc.name_zh, 100);
    if (zh) f.nameZh = zh;
    const desc = this.str(file, 'description', doc.description, 20000);
    if (desc !== undefined) f.description = desc;
    const ml = this.str(file, 'mailing_list', doc.mailing_list, 254);
    if (ml !== undefined) {
      if (/^[^\s@]+@[^\s@]+$/.test(ml)) f.mailingList = ml;
      else this.problem(file, 'mailing_list', 'must be an e-mail address');
    }
    const url = this.str(file, 'meeting_url', doc.meeting_url, 500);
    if (url !== undefined) {
      if (/^https?:\/\/\S+$/.test(url)) f.meetingUrl = url;
      else this.problem(file, 'meeting_url', 'must be an http(s) URL');
    }
    const chat = this.str(file, 'chat', doc.chat, 500);
    if (chat !== undefined) f.chat = chat;
    const cadence = this.str(file, 'meeting_cadence', doc.meeting_cadence, 16);
    if (cadence !== undefined) {
      if ((MEETING_CADENCES as readonly string[]).includes(cadence)) f.meetingCadence = cadence as MeetingCadence;
      else this.problem(file, 'meeting_cadence', `must be one of ${MEETING_CADENCES.join(', ')}`);
    }
    const sub = this.strings(file, 'sub_projects', doc.sub_projects, 100);
    if (sub) f.subProjects = sub;
    if (doc.maintainers !== undefined && doc.maintainers !== null) {
      if (!Array.isArray(doc.maintainers)) this.problem(file, 'maintainers', 'must be a list');
      else
        doc.maintainers.forEach((m, i) => {
          const path = `maintainers[${i}]`;
          if (!isRecord(m)) return this.problem(file, path, 'must be a mapping with gitee_id, name, email');
          this.unknownKeys(file, path, m, MAINTAINER_KEYS);
          const giteeId = this.str(file, `${path}.gitee_id`, m.gitee_id, 100);
          if (!giteeId) return this.problem(file, `${path}.gitee_id`, 'is required');
          sig.maintainers.push({
            giteeId,
            name: this.str(file, `${path}.name`, m.name, 100),
            email: this.str(file, `${path}.email`, m.email, 254),
            file,
            path,
          });
        });
    }
    if (doc.repositories !== undefined && doc.repositories !== null) {
      if (!Array.isArray(doc.repositories)) this.problem(file, 'repositories', 'must be a list');
      else
        doc.repositories.forEach((r, i) => {
          const path = `repositories[${i}]`;
          if (isRecord(r)) {
            this.unknownKeys(file, path, r, ['repo']);
            const names = Array.isArray(r.repo) ? r.repo : [r.repo];
            names.forEach((n, j) => {
              const s = this.str(file, `${path}.repo[${j}]`, n, 200);
              if (s) this.addPackage(sig, file, `${path}.repo[${j}]`, s);
            });
          } else {
            const s = this.str(file, path, r, 200);
            if (s) this.addPackage(sig, file, path, s);
          }
        });
    }
  }

  private parsePackagesYaml(file: string, doc: Record<string, unknown>): void {
    this.unknownKeys(file, '', doc, ['sigs']);
    this.packagesListFile = file;
    if (!Array.isArray(doc.sigs)) return this.problem(file, 'sigs', 'must be a list of SIGs');
    doc.sigs.forEach((entry, i) => {
      const path = `sigs[${i}]`;
      if (!isRecord(entry)) return this.problem(file, path, 'must be a mapping with name, intro, reviewers, packages');
      this.unknownKeys(file, path, entry, PACKAGES_SIG_KEYS);
      const pkgs = this.strings(file, `${path}.packages`, entry.packages, 200) ?? [];
      const named =
        (typeof entry.name === 'string' && entry.name.trim() !== '') ||
        (entry.name !== undefined && entry.name !== null && typeof entry.name !== 'string');
      if (!named) {
        for (const p of pkgs)
          this.problem(file, `${path}.packages`, `package "${p}" is owned by no SIG (entry has no name)`);
        if (!pkgs.length) this.problem(file, `${path}.name`, 'a SIG name is required');
        return;
      }
      const slug = this.slugOf(file, `${path}.name`, entry.name);
      if (!slug) return;
      const sig = this.sig(slug, file);
      sig.rawName ??= this.str(file, `${path}.name`, entry.name, 100);
      if (sig.intro !== undefined) return this.problem(file, path, `SIG "${slug}" appears twice in packages.yaml`);
      sig.intro = this.str(file, `${path}.intro`, entry.intro, 20000) ?? '';
      const reviewers = this.strings(file, `${path}.reviewers`, entry.reviewers, 100);
      if (reviewers) sig.fields.reviewers = reviewers;
      pkgs.forEach((p, j) => this.addPackage(sig, file, `${path}.packages[${j}]`, p));
    });
  }
}

const nameEnOf = (s: DesiredSig): string => s.fields.nameEn ?? s.rawName ?? s.slug;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Parses, validates and diffs against the database. Nothing is written. */
export async function planImport(
  m: EntityManager,
  files: ImportFile[],
): Promise<{ report: ImportReport; parser: Parser }> {
  const p = new Parser();
  for (const f of files) p.parseFile(f);
  const changes: ImportChange[] = [];
  const slugs = [...p.sigs.keys()].sort();
  const existingSigs = new Map(
    (slugs.length ? await m.getRepository(SigEntity).find({ where: { slug: In(slugs) } }) : []).map((s) => [s.slug, s]),
  );
  const allPackages = await m.getRepository(PackageEntity).find({ relations: { sig: true } });
  const byName = new Map(allPackages.map((x) => [x.name, x]));

  for (const slug of slugs) {
    const want = p.sigs.get(slug)!;
    // packages.yaml's one-line intro only seeds the description of a SIG it creates
    const fields = { ...want.fields };
    const have = existingSigs.get(slug);
    if (!have) {
      changes.push({
        kind: 'sig.create',
        target: slug,
        details: { nameEn: nameEnOf(want), nameZh: fields.nameZh ?? nameEnOf(want) },
      });
    } else {
      const changed = Object.keys(fields).filter(
        (k) => !same(fields[k as keyof typeof fields], have[k as keyof SigEntity]),
      );
      if (changed.length) changes.push({ kind: 'sig.update', target: slug, details: { fields: changed } });
      if (have.status === 'archived' && want.packages.size) {
        p.problem(want.file, 'name', `SIG "${slug}" is archived and cannot own packages`);
      }
    }
    // maintainers: matched to accounts by linked Gitee login, then by username
    for (const mt of want.maintainers) {
      const user = await m
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .where('lower(u.gitee_login) = lower(:g) OR lower(u.username) = lower(:g)', { g: mt.giteeId })
        .orderBy('CASE WHEN lower(u.gitee_login) = lower(:g) THEN 0 ELSE 1 END')
        .getOne();
      if (!user) {
        p.warnings.push({
          file: mt.file,
          path: mt.path,
          message: `maintainer "${mt.giteeId}" has no Hub account yet; skipped`,
        });
        continue;
      }
      const membership = have
        ? await m
            .getRepository(SigMembershipEntity)
            .createQueryBuilder('m')
            .where(`m.sig_id = :s AND m.user_id = :u AND ${ACTIVE_MEMBERSHIP}`, { s: have.id, u: user.id })
            .getOne()
        : null;
      if (!membership) {
        changes.push({ kind: 'member.add', target: slug, details: { username: user.username, role: 'maintainer' } });
      } else if (SIG_ROLE_RANK[membership.role] < SIG_ROLE_RANK.maintainer) {
        changes.push({
          kind: 'member.promote',
          target: slug,
          details: { username: user.username, from: membership.role, to: 'maintainer' },
        });
      }
    }
    for (const name of [...want.packages.keys()].sort()) {
      const pkg = byName.get(name);
      if (!pkg) changes.push({ kind: 'package.create', target: name, details: { sig: slug } });
      else if (pkg.sig!.slug !== slug) {
        changes.push({ kind: 'package.move', target: name, details: { from: pkg.sig!.slug, to: slug } });
      }
    }
  }
  if (p.packagesListFile) {
    const listed = new Set([...p.sigs.values()].flatMap((s) => [...s.packages.keys()]));
    for (const pkg of allPackages) {
      if (!listed.has(pkg.name)) {
        p.problem(
          p.packagesListFile,
          'sigs',
          `package "${pkg.name}" (now in "${pkg.sig!.slug}") would be owned by no SIG: list it under one`,
        );
      }
    }
  }
  const valid = p.problems.length === 0;
  return {
    parser: p,
    report: {
      dryRun: true,
      applied: false,
      valid,
      problems: p.problems,
      warnings: p.warnings,
      changes,
      summary: {
        sigs: slugs.length,
        packages: [...p.sigs.values()].reduce((n, s) => n + s.packages.size, 0),
        changes: changes.length,
      },
    },
  };
}

/** Plans and, when the plan is valid and `dryRun` is false, applies it — all in one transaction. */
export async function runImport(
  ds: DataSource,
  files: ImportFile[],
  opts: { dryRun: boolean; actorId: number | null; ip?: string | null; userAgent?: string | null },
): Promise<ImportReport> {
  return ds.transaction(async (m) => {
    // one import at a time; the plan stays true until commit
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['sigs:import']);
    const { report, parser } = await planImport(m, files);
    report.dryRun = opts.dryRun;
    if (opts.dryRun || !report.valid || report.changes.length === 0) return report;
    await apply(m, report.changes, parser, opts.actorId);
    await m.getRepository(AuditEntryEntity).insert({
      actorId: opts.actorId,
      action: 'sigs.import',
      targetType: 'sig',
      targetId: null,
      details: { summary: report.summary, kinds: countKinds(report.changes) },
      ip: opts.ip ?? null,
      userAgent: opts.userAgent ?? null,
    });
    report.applied = true;
    return report;
  });
}

const countKinds = (changes: ImportChange[]): Record<string, number> =>
  changes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.kind]: (acc[c.kind] ?? 0) + 1 }), {});

async function apply(m: EntityManager, changes: ImportChange[], p: Parser, actorId: number | null): Promise<void> {
  const now = new Date();
  const sigRepo = m.getRepository(SigEntity);
  const sigId = async (slug: string): Promise<number> => (await sigRepo.findOneByOrFail({ slug })).id;
  const touched = new Map<string, Record<string, number>>();
  const touch = (slug: string, kind: string) => {
    const c = touched.get(slug) ?? {};
    c[kind] = (c[kind] ?? 0) + 1;
    touched.set(slug, c);
  };
  for (const c of changes) {
    const want = c.kind.startsWith('package.') ? null : p.sigs.get(c.target)!;
    switch (c.kind) {
      case 'sig.create': {
        const f = want!.fields;
        await sigRepo.insert({
          slug: c.target,
          nameEn: nameEnOf(want!),
          nameZh: f.nameZh ?? nameEnOf(want!),
          description: f.description ?? want!.intro ?? '',
          status: 'active',
          mailingList: f.mailingList ?? null,
          meetingUrl: f.meetingUrl ?? null,
          meetingCadence: f.meetingCadence ?? null,
          chat: f.chat ?? null,
          subProjects: f.subProjects ?? [],
          reviewers: f.reviewers ?? [],
          createdBy: actorId,
          approvedAt: now,
        });
        break;
      }
      case 'sig.update': {
        const f: Record<string, unknown> = { ...want!.fields };
        const picked = Object.fromEntries((c.details.fields as string[]).map((k) => [k, f[k]]));
        await sigRepo.update({ slug: c.target }, picked);
        break;
      }
      case 'member.add':
      case 'member.promote': {
        const id = await sigId(c.target);
        const user = await m.getRepository(UserEntity).findOneByOrFail({ username: c.details.username as string });
        await m.getRepository(SigMembershipEntity).delete({ sigId: id, userId: user.id });
        await m
          .getRepository(SigMembershipEntity)
          .insert({ sigId: id, userId: user.id, role: 'maintainer', grantedBy: actorId });
        break;
      }
      case 'package.create': {
        await m
          .getRepository(PackageEntity)
          .insert({ name: c.target, sigId: await sigId(c.details.sig as string), branches: [] });
        break;
      }
      case 'package.move': {
        const pkg = await m.getRepository(PackageEntity).findOneByOrFail({ name: c.target });
        const from = pkg.sigId;
        const to = await sigId(c.details.to as string);
        await m.getRepository(PackageEntity).update({ id: pkg.id }, { sigId: to });
        // kept in the ownership history like any other transfer
        await m.getRepository(PackageTransferEntity).insert({
          packageId: pkg.id,
          fromSigId: from,
          toSigId: to,
          requestedBy: actorId,
          reason: 'import',
          status: 'completed',
          fromApprovedBy: actorId,
          fromApprovedAt: now,
          toApprovedBy: actorId,
          toApprovedAt: now,
          decidedBy: actorId,
          decidedAt: now,
        });
        touch(c.details.from as string, c.kind);
        break;
      }
    }
    touch(c.kind.startsWith('package.') ? ((c.details.sig ?? c.details.to) as string) : c.target, c.kind);
  }
  for (const [slug, counts] of touched) {
    await recordActivity(m, await sigId(slug), actorId, 'sig.imported', { changes: counts });
  }
}

// ---------------------------------------------------------------- export

export interface ExportedFile {
  name: string;
  content: string;
}

const dump = (doc: unknown): string => yaml.dump(doc, { lineWidth: 120, noRefs: true, sortKeys: false });

/** `packages.yaml` plus `sig/<slug>/sig-info.yaml` for every SIG; importing them back changes nothing. */
export async function exportSigs(m: EntityManager): Promise<ExportedFile[]> {
  const sigs = await m.getRepository(SigEntity).find({ order: { slug: 'ASC' } });
  const packages = await m.getRepository(PackageEntity).find({ order: { name: 'ASC' } });
  const bySig = new Map<number, string[]>();
  for (const p of packages) bySig.set(p.sigId, [...(bySig.get(p.sigId) ?? []), p.name]);
  const files: ExportedFile[] = [];
  for (const s of sigs) {
    const maintainers = await m
      .getRepository(SigMembershipEntity)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.user', 'u')
      .where(`m.sig_id = :id AND m.role IN ('lead', 'maintainer') AND ${ACTIVE_MEMBERSHIP}`, { id: s.id })
      .orderBy('u.username')
      .getMany();
    const doc: Record<string, unknown> = { name: s.slug, name_zh: s.nameZh, name_en: s.nameEn };
    if (s.description) doc.description = s.description;
    if (s.mailingList) doc.mailing_list = s.mailingList;
    if (s.meetingUrl) doc.meeting_url = s.meetingUrl;
    if (s.meetingCadence) doc.meeting_cadence = s.meetingCadence;
    if (s.chat) doc.chat = s.chat;
    if (s.subProjects.length) doc.sub_projects = s.subProjects;
    doc.maintainers = maintainers.map((x) => ({
      gitee_id: x.user!.giteeLogin ?? x.user!.username,
      name: x.user!.displayName ?? x.user!.username,
      email: x.user!.email,
    }));
    doc.repositories = bySig.get(s.id) ?? [];
    files.push({ name: `sig/${s.slug}/sig-info.yaml`, content: dump(doc) });
  }
  files.unshift({
    name: 'packages.yaml',
    content: dump({
      sigs: sigs.map((s) => ({
        name: s.slug,
        intro: s.description.split('\n')[0] ?? '',
        reviewers: s.reviewers,
        packages: bySig.get(s.id) ?? [],
      })),
    }),
  });
  return files;
}
